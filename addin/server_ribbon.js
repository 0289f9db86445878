// DealDesk's ribbon (manifest.xml, tab "DealDesk"): served in place of xlwings Server's sample
// ribbon.js. The "DealDesk" button opens the task pane (no code); "Re-enter formulas" runs the
// function below, named in the manifest's <FunctionName>. The re-entry itself is
// dealdesk-rebind.js's (loaded by the same page).
Office.actions.associate("dealdesk-reenter", async (event) => {
  try {
    await globalThis.dealdeskRebind.run(null);
  } finally {
    event.completed();
  }
});
