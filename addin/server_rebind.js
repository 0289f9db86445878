// DealDesk: re-enter the DEAL formulas Excel did not bind to the add-in, and only those.
//
// Excel binds a custom-function formula to an add-in when the formula is entered
// or, for formulas Excel itself saved (internally spelled _xldudf_...), when the
// add-in registers. Formulas it could not bind when the workbook loaded (a
// template written by a tool, a workbook opened before the add-in was installed)
// show #NAME? once Excel calculates them, and stay so until they are re-entered;
// recalculating does not help, and Microsoft calls this by design (OfficeDev/office-js
// issues 6395, 6611, 6355; Excel-Custom-Functions issue 108 names the fix: assign
// the formula to itself).
//
// A cell is re-entered when its formula calls a DEAL function and it shows #NAME?,
// or when its formula still carries the internal spelling _xldudf_DEAL_NAME( (written
// back as DEAL.NAME(). A cell showing a value is left alone: a workbook whose
// formulas are bound, or whose saved values are still current, is not written to,
// recalculates nothing and is not marked as changed. Each re-entered cell is one
// call of its function on the server, so the cost is what Excel would compute anyway.
//
// Served by `dealdesk serve` at /static/js/dealdesk-rebind.js and loaded by its task
// pane: it runs when the add-in starts, after every calculation on the sheet that
// calculated (a formula bound to nothing turns #NAME? only when Excel calculates it,
// e.g. after an input changes), from the task pane's button and from the ribbon's
// "Re-enter formulas" button. A classic script (no imports): it exposes
// globalThis.dealdeskReenterFormulas and globalThis.dealdeskRebind.
(function () {
  "use strict";

  // A DEAL call: DEAL.NAME( or _xldudf_DEAL_NAME(, not part of a longer name (live_deal_margin).
  const CALL = /(^|[^A-Za-z0-9_.])(?:DEAL\.|_xldudf_DEAL_)([A-Za-z][A-Za-z0-9_]*)\s*\(/i;
  const INTERNAL = /(^|[^A-Za-z0-9_.])_xldudf_DEAL_([A-Za-z][A-Za-z0-9_]*)(\s*\()/gi;
  const UNBOUND = "#NAME?";

  // The formula's text outside "string literals" (a DEAL name inside quotes is text, not a call).
  function outsideStrings(formula) {
    return formula.split('"').filter((_, index) => index % 2 === 0);
  }

  function callsDeal(formula) {
    return typeof formula === "string" && formula.startsWith("=") && outsideStrings(formula).some((part) => CALL.test(part));
  }

  function internalSpelling(formula) {
    return outsideStrings(formula).some((part) => part.search(INTERNAL) >= 0);
  }

  // The formula as it should be entered: internal spellings outside string literals renamed.
  function entered(formula) {
    return formula
      .split('"')
      .map((part, index) => (index % 2 === 0 ? part.replace(INTERNAL, "$1DEAL.$2$3") : part))
      .join('"');
  }

  // Whether a cell (its formula and the value it shows) is to be re-entered.
  function unbound(formula, value) {
    return callsDeal(formula) && (value === UNBOUND || internalSpelling(formula));
  }

  // Cells re-entered after a calculation while the add-in runs: one that still shows #NAME? (its
  // function is not registered) is not re-entered after every later calculation.
  const reenteredAfterCalculation = new Set();

  // Re-enter the unbound DEAL formulas of the workbook's sheets (or of the sheets whose ids are
  // given); resolves to the number of cells re-entered. Spilled cells of a dynamic array report
  // values, not formulas, so only anchors are written.
  async function dealdeskReenterFormulas(excel = globalThis.Excel, { sheetIds = null, once = false } = {}) {
    return await excel.run(async (context) => {
      const sheets = context.workbook.worksheets;
      sheets.load("items/name,items/id");
      await context.sync();
      const used = sheets.items
        .filter((sheet) => sheetIds === null || sheetIds.includes(sheet.id))
        .map((sheet) => {
          const range = sheet.getUsedRangeOrNullObject(true);
          range.load(["formulas", "values", "rowIndex", "columnIndex"]);
          return { sheet, range };
        });
      await context.sync();
      let count = 0;
      for (const { sheet, range } of used) {
        if (range.isNullObject) continue;
        range.formulas.forEach((row, i) =>
          row.forEach((formula, j) => {
            if (!unbound(formula, range.values[i][j])) return;
            const [r, c] = [range.rowIndex + i, range.columnIndex + j];
            const key = `${sheet.id}:${r}:${c}`;
            if (once && reenteredAfterCalculation.has(key)) return;
            if (once) reenteredAfterCalculation.add(key);
            sheet.getCell(r, c).formulas = [[entered(formula)]];
            count += 1;
          }),
        );
      }
      if (count > 0) await context.sync();
      return count;
    });
  }

  // After each calculation, re-enter what it left unbound on the sheet that calculated.
  async function watchCalculations(excel = globalThis.Excel, office = globalThis.Office) {
    if (!office?.context?.requirements?.isSetSupported("ExcelApi", "1.8")) return false;
    await excel.run(async (context) => {
      context.workbook.worksheets.onCalculated.add(async (event) => {
        try {
          await dealdeskReenterFormulas(excel, { sheetIds: [event.worksheetId], once: true });
        } catch (error) {
          console.error(error);
        }
      });
      await context.sync();
    });
    return true;
  }

  // Load the add-in with this document from now on, so the re-entry runs when the workbook opens.
  // Set only when it is not already so: setting it changes the document.
  async function loadWithDocument(office = globalThis.Office) {
    if (!office?.context?.requirements?.isSetSupported("SharedRuntime", "1.1")) return;
    if ((await office.addin.getStartupBehavior()) !== office.StartupBehavior.load) {
      await office.addin.setStartupBehavior(office.StartupBehavior.load);
    }
  }

  function report(count) {
    if (count === 0) return "No DEAL formula shows #NAME?: nothing to re-enter.";
    return `Re-entered ${count} DEAL formula${count === 1 ? "" : "s"} that showed #NAME?.`;
  }

  async function run(status) {
    try {
      const count = await dealdeskReenterFormulas();
      await loadWithDocument();
      if (status) status.textContent = report(count);
      return count;
    } catch (error) {
      console.error(error);
      if (status) status.textContent = `Could not re-enter the DEAL formulas: ${error.message || error}`;
      return -1;
    }
  }

  globalThis.dealdeskReenterFormulas = dealdeskReenterFormulas;
  globalThis.dealdeskRebind = { callsDeal, entered, unbound, run, loadWithDocument, watchCalculations, report };

  if (globalThis.Office && globalThis.document) {
    Office.onReady(async () => {
      const status = document.getElementById("dealdesk-rebind-status");
      const button = document.getElementById("dealdesk-rebind");
      if (button) button.addEventListener("click", () => run(status));
      const count = await run(status);
      try {
        await watchCalculations();
      } catch (error) {
        console.error(error);
      }
      return count;
    });
  }
})();
