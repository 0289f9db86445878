// DealDesk: re-enter every DEAL formula once the add-in has registered its functions.
//
// Excel binds a custom-function formula to an add-in when the formula is entered
// or, for formulas Excel itself saved (internally spelled _xldudf_...), when the
// add-in registers. Formulas it could not bind when the workbook loaded (a
// template written by a tool, a workbook opened before the add-in was installed)
// stay #NAME? until they are re-entered; recalculating does not help, and
// Microsoft calls this by design (OfficeDev/office-js issues 6395, 6611, 6355;
// Excel-Custom-Functions issue 108 names the fix: assign the formula to itself).
// This script does that for every cell whose formula calls a DEAL function, and
// writes a left-over internal spelling _xldudf_DEAL_NAME( back as DEAL.NAME(.
//
// Served by `dealdesk serve` at /static/js/dealdesk-rebind.js and loaded by its task
// pane: it runs once when the add-in starts and again from the task pane's button.
// A classic script (no imports): it exposes globalThis.dealdeskReenterFormulas.
(function () {
  "use strict";

  // A DEAL call: DEAL.NAME( or _xldudf_DEAL_NAME(, not part of a longer name (live_deal_margin).
  const CALL = /(^|[^A-Za-z0-9_.])(?:DEAL\.|_xldudf_DEAL_)([A-Za-z][A-Za-z0-9_]*)\s*\(/i;
  const INTERNAL = /(^|[^A-Za-z0-9_.])_xldudf_DEAL_([A-Za-z][A-Za-z0-9_]*)(\s*\()/gi;

  function callsDeal(formula) {
    return typeof formula === "string" && formula.startsWith("=") && outsideStrings(formula).some((part) => CALL.test(part));
  }

  // The formula's text outside "string literals" (a DEAL name inside quotes is text, not a call).
  function outsideStrings(formula) {
    return formula.split('"').filter((_, index) => index % 2 === 0);
  }

  // The formula as it should be entered: internal spellings outside string literals renamed.
  function entered(formula) {
    return formula
      .split('"')
      .map((part, index) => (index % 2 === 0 ? part.replace(INTERNAL, "$1DEAL.$2$3") : part))
      .join('"');
  }

  // Re-enter the DEAL formulas of every worksheet; resolves to the number of cells re-entered.
  // Spilled cells of a dynamic array report values, not formulas, so only anchors are written.
  async function dealdeskReenterFormulas(excel = globalThis.Excel) {
    return await excel.run(async (context) => {
      const sheets = context.workbook.worksheets;
      sheets.load("items/name");
      await context.sync();
      const used = sheets.items.map((sheet) => {
        const range = sheet.getUsedRangeOrNullObject(true);
        range.load(["formulas", "rowIndex", "columnIndex"]);
        return { sheet, range };
      });
      await context.sync();
      let count = 0;
      for (const { sheet, range } of used) {
        if (range.isNullObject) continue;
        range.formulas.forEach((row, i) =>
          row.forEach((formula, j) => {
            if (callsDeal(formula)) {
              sheet.getCell(range.rowIndex + i, range.columnIndex + j).formulas = [[entered(formula)]];
              count += 1;
            }
          }),
        );
      }
      await context.sync();
      return count;
    });
  }

  // Load the add-in with this document from now on, so the re-entry runs when the workbook opens.
  async function loadWithDocument(office = globalThis.Office) {
    if (office?.context?.requirements?.isSetSupported("SharedRuntime", "1.1")) {
      await office.addin.setStartupBehavior(office.StartupBehavior.load);
    }
  }

  async function run(status) {
    try {
      const count = await dealdeskReenterFormulas();
      await loadWithDocument();
      if (status) status.textContent = `Re-entered ${count} DEAL formula${count === 1 ? "" : "s"}.`;
      return count;
    } catch (error) {
      console.error(error);
      if (status) status.textContent = `Could not re-enter the DEAL formulas: ${error.message || error}`;
      return -1;
    }
  }

  globalThis.dealdeskReenterFormulas = dealdeskReenterFormulas;
  globalThis.dealdeskRebind = { callsDeal, entered, run, loadWithDocument };

  if (globalThis.Office && globalThis.document) {
    Office.onReady(() => {
      const status = document.getElementById("dealdesk-rebind-status");
      const button = document.getElementById("dealdesk-rebind");
      if (button) button.addEventListener("click", () => run(status));
      return run(status);
    });
  }
})();
