import { test } from "node:test";
import assert from "node:assert/strict";

import { tooLarge } from "../../static/js/import.js";

test("files within the upload limit go; past it, the page says how much and what to do", () => {
  const files = [{ size: 10 * 1048576 }, { size: 7 * 1048576 }];
  assert.equal(tooLarge(files, 20 * 1048576), null);
  assert.equal(
    tooLarge(files, 16 * 1048576),
    "These files are 17 MB in all; one upload holds at most 16 MB. Import fewer files at a time, or run annotator import on the server.",
  );
  assert.equal(tooLarge(files, 0), null); // no limit known: the server decides
});
