"""Hostile input to the ``dealdesk`` command: one line on stderr, the right exit code, nothing touched.

Every case states the same promise: exit 2 for bad input and 1 for a failure
while working, one line on stderr and no traceback, the files already in the
folder untouched and nothing left behind (no partial output, no temporary
file). Each case comes from an attack that once ended in a traceback, a
wrong file or a silent fallback.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

import openpyxl
import pytest

from workbook.cli import EXIT_FAILURE, EXIT_USAGE, main
from workbook.inputs import MAX_INPUT_BYTES
from workbook.template import DEFAULT_TEMPLATE

ROOT = Path(__file__).resolve().parents[2]


def _snapshot(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` (hidden ones included) with a digest of its bytes."""
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() else "dir"
        for p in sorted(folder.rglob("*"))
    }


def _refused(
    argv: list[str], folder: Path, capsys: pytest.CaptureFixture[str], *, code: int = EXIT_USAGE
) -> str:
    """Run ``dealdesk argv`` in ``folder``; check the promise and return the one line on stderr."""
    before = _snapshot(folder)
    assert main(argv) == code
    out, err = capsys.readouterr()
    assert "Traceback" not in err and "Traceback" not in out
    assert err.endswith("\n") and err.count("\n") == 1, err
    assert err.startswith(f"dealdesk {argv[0]}: "), err
    assert _snapshot(folder) == before, "files were changed or left behind"
    return err.strip()


@pytest.fixture()
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _json(folder: Path, name: str, text: str | bytes) -> str:
    path = folder / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return name


# --------------------------------------------------------------------------- 1. evaluation reads one file

_OPENED: list[str] | None = None


def _audit(event: str, args: tuple) -> None:
    if _OPENED is not None and event == "open" and isinstance(args[0], (str, bytes, os.PathLike)):
        _OPENED.append(os.fsdecode(args[0]))


sys.addaudithook(_audit)


def _linking_workbook(folder: Path, target: str) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    ws["A1"] = f"='[{target}]Sheet1'!A1"
    ws["A2"] = "=1+1"
    path = folder / "main.xlsx"
    wb.save(path)
    return path


def _zip_bomb(path: Path) -> None:
    """A small .xlsx whose sheet expands 1,000 to 1 (the kind ``check_workbook_file`` refuses)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", "<workbook/>")
        z.writestr("xl/worksheets/sheet1.xml", "<" + " " * 20_000_000 + "/>")


def test_evaluate_never_opens_a_linked_workbook(here: Path, capsys: pytest.CaptureFixture[str]) -> None:
    global _OPENED
    secret = openpyxl.Workbook()
    secret.active.title = "Sheet1"
    secret.active["A1"] = "SECRET-FROM-OTHER-FILE"
    secret.save(here / "other.xlsx")
    source = _linking_workbook(here, "other.xlsx")
    _OPENED = []
    try:
        assert main(["evaluate", str(source), "--out", "values.xlsx"]) == 0
    finally:
        opened, _OPENED = _OPENED, None
    out = capsys.readouterr().out
    assert not [p for p in opened if p.endswith("other.xlsx")], opened
    assert "external workbook other.xlsx not read" in out
    values = openpyxl.load_workbook(here / "values.xlsx").active
    assert values["A1"].value == "#REF!"  # not the secret
    assert values["A2"].value == 2
    assert "SECRET" not in json.dumps([[c.value for c in r] for r in values.iter_rows()])


def test_evaluate_never_opens_a_linked_zip_bomb(here: Path, capsys: pytest.CaptureFixture[str]) -> None:
    global _OPENED
    _zip_bomb(here / "bomb.xlsx")
    source = _linking_workbook(here, "bomb.xlsx")
    _OPENED = []
    started = time.perf_counter()
    try:
        assert main(["evaluate", str(source)]) == 0
    finally:
        opened, _OPENED = _OPENED, None
    assert time.perf_counter() - started < 60  # not a hang (it took 64 s and 1.6 GB when followed)
    assert not [p for p in opened if p.endswith("bomb.xlsx")], opened
    assert "external workbook bomb.xlsx not read" in capsys.readouterr().out


# --------------------------------------------------------------------------- 2. text a workbook cannot hold


@pytest.mark.parametrize(
    ("name", "shown"), [('"AWS\\ud800"', "U+D800"), ('"AWS\\u0001x"', "U+0001"), ('"a\\u000bb"', "U+000B")]
)
def test_unwritable_deal_name_is_refused(
    here: Path, capsys: pytest.CaptureFixture[str], name: str, shown: str
) -> None:
    inputs = _json(here, "in.json", f'{{"deal_name": {name}}}')
    err = _refused(["report", "--inputs", inputs, "--out", "r.xlsx"], here, capsys)
    assert f"in.json holds text a workbook cannot hold (got {shown} at position" in err


# --------------------------------------------------------------------------- 3. tracebacks turned into one line


def test_damaged_sheet_xml_in_a_template_copy(here: Path, capsys: pytest.CaptureFixture[str]) -> None:
    copy = here / "copy.xlsx"
    with zipfile.ZipFile(DEFAULT_TEMPLATE) as src, zipfile.ZipFile(copy, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename.startswith("xl/worksheets/sheet"):
                body = body[: len(body) // 2]  # cut mid-element: openpyxl fails when it reads cells
            dst.writestr(info, body)
    err = _refused(["report", "--inputs", "copy.xlsx", "--out", "r.xlsx"], here, capsys)
    assert "copy.xlsx cannot be read as a workbook" in err


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "bad.json",
            b'{"deal_name": "A\xff"}',
            r"bad.json is not UTF-8 text \(byte 17 cannot be decoded\); save it as UTF-8",
        ),
        ("wide.json", '{"term_years": 7}'.encode("utf-16"), "wide.json is UTF-16 text; save it as UTF-8"),
        ("wide.yaml", "term_years: 7\n".encode("utf-16"), "wide.yaml is UTF-16 text"),
        (
            "long.json",
            ('{"term_years": ' + "7" * 5000 + "}").encode(),
            "a number of 5,000 digits; the limit is 40",
        ),
        ("long.yaml", ("term_years: " + "7" * 5000 + "\n").encode(), "a number of 5,000 digits"),
        ("deep.json", ("[" * 200_000 + "]" * 200_000).encode(), "nested deeper than 32 levels .MAX_DEPTH"),
        ("deep.yaml", ("[" * 200_000 + "]" * 200_000).encode(), "nested deeper than 32 levels"),
        ("twice.json", b'{"term_years": 7, "term_years": 8}', "twice.json gives the key 'term_years' twice"),
        (
            "twice.yaml",
            b"term_years: 7\nterm_years: 8\n",
            r"twice.yaml gives the key 'term_years' twice \(line 2\)",
        ),
        (
            "laughs.yaml",
            b'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
            b"b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
            b"d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n"
            b"f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\ng: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\n"
            b"h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]\ni: [*h,*h,*h,*h,*h,*h,*h,*h,*h]\n",
            r"laughs.yaml uses the YAML alias \*a at line 2",
        ),
        ("term.json", b'{"term_years": 1e-9}', "term_years must be a whole number of months"),
        ("date.json", b'{"start_date": "2025-11-03 garbage"}', "start_date"),
        ("basic.json", b'{"start_date": "20251103"}', "start_date"),
        ("week.yaml", b'start_date: "2025-W45-1"\n', "start_date"),
    ],
)
def test_bad_inputs_files_get_one_line(
    here: Path, capsys: pytest.CaptureFixture[str], name: str, content: bytes, message: str
) -> None:
    _json(here, name, content)
    err = _refused(["report", "--inputs", name, "--out", "r.xlsx"], here, capsys)
    assert re.search(message, err), err
    assert len(err) < 600  # the expanded value is never shown


def test_billion_laughs_message_does_not_expand(here: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # As above through simulate --distributions, where the file is read by the same loader.
    _json(here, "d.yaml", "a: &a [1, 2]\nb: *a\n")
    err = _refused(["simulate", "--distributions", "d.yaml", "--draws", "10"], here, capsys)
    assert "uses the YAML alias *a" in err


def test_inputs_file_size_limit(
    here: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    (here / "big.json").write_bytes(b"{}" + b" " * MAX_INPUT_BYTES)
    err = _refused(["report", "--inputs", "big.json", "--out", "r.xlsx"], here, capsys)
    assert "big.json is 1.0 MB (1,048,578 bytes); the limit for an inputs file is 1.0 MB" in err
    assert "DEALDESK_MAX_INPUT_BYTES" in err
    # The limit is the user's to raise.
    monkeypatch.setenv("DEALDESK_MAX_INPUT_BYTES", str(2 * MAX_INPUT_BYTES))
    assert main(["report", "--inputs", "big.json", "--out", "r.xlsx"]) == 0
    capsys.readouterr()


@pytest.mark.parametrize("command", ["report", "simulate"])
def test_term_of_a_billionth_of_a_year(here: Path, capsys: pytest.CaptureFixture[str], command: str) -> None:
    _json(here, "t.json", '{"term_years": 1e-9}')
    extra = ["--out", "r.xlsx"] if command == "report" else ["--draws", "10"]
    err = _refused([command, "--inputs", "t.json", *extra], here, capsys)
    assert "term_years" in err and "whole number of months" in err


def test_pdf_onto_a_directory(here: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (here / "r.pdf").mkdir()
    err = _refused(["report", "--out", "r.xlsx", "--pdf"], here, capsys)
    assert err.endswith("r.pdf: it is a directory")


def test_pdf_target_directory_refused_before_libreoffice(tmp_path: Path) -> None:
    from workbook.pdf import convert_to_pdf
    from workbook.xlsxio import OutputPathError

    (tmp_path / "r.pdf").mkdir()
    (tmp_path / "r.xlsx").write_bytes(b"")
    with pytest.raises(OutputPathError, match=r"cannot write the PDF .*r\.pdf: it is a directory"):
        convert_to_pdf(tmp_path / "r.xlsx")


def _evaluate_source(folder: Path) -> str:
    wb = openpyxl.Workbook()
    wb.active["A1"] = "=1+1"
    wb.save(folder / "in.xlsx")
    return "in.xlsx"


def test_evaluate_out_equal_to_its_input(here: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = _evaluate_source(here)
    err = _refused(["evaluate", source, "--out", source], here, capsys)
    assert "refusing to overwrite the input file in.xlsx" in err


def test_evaluate_draws_no_progress_bar_even_after_tqdm_was_imported(
    here: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import tqdm  # noqa: F401 - imported first, as a long-running process (or batch) does

    source = _evaluate_source(here)
    assert main(["evaluate", source]) == 0
    assert capsys.readouterr().err == ""


def test_evaluate_out_in_a_read_only_folder(
    here: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    source = _evaluate_source(here)
    (here / "locked").mkdir()

    real_mkstemp = tempfile.mkstemp

    def denied(*args: object, **kwargs: object) -> tuple[int, str]:
        if Path(str(kwargs.get("dir"))).name == "locked":
            raise PermissionError(errno.EACCES, "Permission denied")
        return real_mkstemp(*args, **kwargs)  # type: ignore[arg-type]

    # Root ignores folder permissions, so the refusal the file system gives is simulated.
    monkeypatch.setattr(tempfile, "mkstemp", denied)
    err = _refused(["evaluate", source, "--out", "locked/v.xlsx"], here, capsys, code=EXIT_FAILURE)
    assert re.search(r"cannot write \S*locked/v\.xlsx: permission denied", err), err


def test_evaluate_out_name_of_300_characters(here: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = _evaluate_source(here)
    err = _refused(["evaluate", source, "--out", "a" * 295 + ".xlsx"], here, capsys)
    assert "--out file name is 300 bytes long; the limit is 255" in err


def test_a_long_but_legal_out_name_gets_a_short_temporary_file(
    here: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # 250 characters: legal, but ".<name>.<random>.tmp" would not be.
    source = _evaluate_source(here)
    assert main(["evaluate", source, "--out", "b" * 245 + ".xlsx"]) == 0
    assert (here / ("b" * 245 + ".xlsx")).is_file()
    assert not list(here.glob("*.tmp")) and not list(here.glob(".*.tmp"))


@pytest.mark.parametrize(("command", "first"), [("evaluate", "in.xlsx"), ("template", None)])
def test_non_xlsx_output_name(
    here: Path, capsys: pytest.CaptureFixture[str], command: str, first: str | None
) -> None:
    _evaluate_source(here)
    argv = [command, *([first] if first else []), "--out", "out.txt"]
    err = _refused(argv, here, capsys)
    assert "--out must end in .xlsx, got 'out.txt'" in err


def test_draws_above_the_limit_are_refused_before_any_work(
    here: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    err = _refused(["simulate", "--draws", "100000000"], here, capsys)
    assert "--draws must be at most 2,000,000 (MAX_DRAWS" in err and "DEALDESK_MAX_DRAWS" in err
    monkeypatch.setenv("DEALDESK_MAX_DRAWS", "50")
    err = _refused(["simulate", "--draws", "51"], here, capsys)
    assert "at most 50" in err
    assert main(["simulate", "--draws", "50", "--outputs", "npv"]) == 0  # at the limit: runs
    capsys.readouterr()


def test_exposure_draws_share_the_simulate_limit(
    here: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # The exposure Monte Carlo once took up to 5,000,000 draws under a limit of its own.
    for draws in ("100000000", "2000001"):
        err = _refused(["exposure", "--draws", draws], here, capsys)
        assert "draws must be at most 2,000,000 (MAX_DRAWS" in err and "DEALDESK_MAX_DRAWS" in err
    monkeypatch.setenv("DEALDESK_MAX_DRAWS", "50")
    assert "at most 50 " in _refused(["exposure", "--draws", "51"], here, capsys)
    assert main(["exposure", "--draws", "50", "--json"]) == 0  # at the limit: runs
    capsys.readouterr()


# --------------------------------------------------------------------------- 5. interrupted writes

_SLOW_WRITER = """
import sys, time
from workbook.xlsxio import atomic_write
def write(fh):
    fh.write(b"partial")
    fh.flush()
    print("writing", flush=True)
    time.sleep(60)
atomic_write(sys.argv[1], write)
"""


def test_kill_9_mid_write_leaves_nothing_after_the_next_write(
    here: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-c", _SLOW_WRITER, str(here / "r.xlsx")],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None and proc.stdout.readline().strip() == "writing"
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    leftovers = list(here.glob(".r.xlsx.*.tmp"))
    assert len(leftovers) == 1  # what a kill leaves
    assert main(["report", "--out", "r.xlsx"]) == 0
    capsys.readouterr()
    assert not list(here.glob("*.tmp")) and not list(here.glob(".*.tmp"))
    assert (here / "r.xlsx").is_file()


def test_a_temporary_file_in_use_is_not_removed(tmp_path: Path) -> None:
    import fcntl

    from workbook.xlsxio import remove_stale_temporaries

    live = tmp_path / ".r.xlsx.live1234.tmp"
    stale = tmp_path / ".r.xlsx.dead5678.tmp"
    other = tmp_path / ".s.xlsx.dead9999.tmp"
    for path in (live, stale, other):
        path.write_bytes(b"x")
    with live.open("rb") as fh:
        fcntl.flock(fh.fileno(), fcntl.LOCK_EX)
        assert remove_stale_temporaries(tmp_path / "r.xlsx") == [stale]
    assert live.exists() and other.exists() and not stale.exists()


def _children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    try:
        return [int(x) for x in path.read_text().split()]
    except OSError:
        return []


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state not in ("Z", "X")


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="needs Linux /proc")
def test_killing_batch_stops_its_workers(here: Path) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "workbook.cli", "batch", "--out", str(here / "out"), "--jobs", "2"],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    workers: list[int] = []
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and len(workers) < 2 and proc.poll() is None:
        workers = _children(proc.pid)
        time.sleep(0.05)
    assert workers, "the batch started no workers"
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    deadline = time.monotonic() + 20  # generous: the workers end within a second
    while time.monotonic() < deadline and any(_alive(w) for w in workers):
        time.sleep(0.1)
    assert not [w for w in workers if _alive(w)]


# --------------------------------------------------------------------------- 7. reproducible PDFs


@pytest.mark.skipif(
    shutil.which("soffice") is None and shutil.which("libreoffice") is None, reason="needs LibreOffice"
)
def test_two_pdf_builds_are_byte_identical(tmp_path: Path) -> None:
    from core.assumptions import Assumptions
    from workbook.pdf import convert_to_pdf
    from workbook.report import build_report

    first, second = tmp_path / "a", tmp_path / "b"
    pdfs = []
    for folder in (first, second):
        written = build_report(Assumptions(), folder / "r.xlsx")
        pdfs.append(convert_to_pdf(written).read_bytes())
        time.sleep(1.1)  # a later second: the creation stamp would differ
    assert pdfs[0] == pdfs[1]
    assert b"/CreationDate(D:20251103000000" in pdfs[0]


# --------------------------------------------------------------------------- 8. lenient input


@pytest.mark.parametrize("flag", ["--deal", "--scenario"])
def test_empty_deal_or_scenario_name(here: Path, capsys: pytest.CaptureFixture[str], flag: str) -> None:
    err = _refused(["report", flag, "", "--out", "r.xlsx"], here, capsys)
    assert f"{flag} must name one; got an empty name" in err


def test_empty_deal_name_in_a_batch(here: Path, capsys: pytest.CaptureFixture[str]) -> None:
    err = _refused(["batch", "--scenarios", "base", "--deal", "", "--out", "out"], here, capsys)
    assert "--deal must name one; got an empty name" in err


def test_formula_like_text_is_stored_with_a_quote_prefix(
    here: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _json(here, "in.json", json.dumps({"deal_name": '=HYPERLINK("http://x","y")'}))
    assert main(["report", "--inputs", "in.json", "--out", "r.xlsx"]) == 0
    capsys.readouterr()
    wb = openpyxl.load_workbook(here / "r.xlsx")
    cells = [
        c
        for ws in wb.worksheets
        for row in ws.iter_rows()
        for c in row
        if c.value == '=HYPERLINK("http://x","y")'
    ]
    assert cells
    assert all(c.data_type == "s" and c.quotePrefix for c in cells)


def test_a_report_never_holds_text_a_workbook_cannot(tmp_path: Path) -> None:
    # Defence in depth: even assumptions built in Python (not read from a file) give a readable workbook.
    from core.assumptions import Assumptions
    from workbook.report import build_report

    written = build_report(Assumptions(deal_name="AWS\ud800\x01–OpenAI"), tmp_path / "r.xlsx")
    texts = [c.value for ws in openpyxl.load_workbook(written).worksheets for r in ws.iter_rows() for c in r]
    assert "AWS\ufffd\ufffd–OpenAI" in texts


def test_an_unexpected_failure_is_one_line_with_exit_1(
    here: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import workbook.report

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("something\nbroke")

    monkeypatch.setattr(workbook.report, "build_report", broken)
    err = _refused(["report", "--out", "r.xlsx"], here, capsys, code=EXIT_FAILURE)
    assert err == (
        "dealdesk report: unexpected error (RuntimeError: something broke); please report it with the inputs"
    )
    monkeypatch.setenv("DEALDESK_DEBUG", "1")  # a developer sees the traceback
    with pytest.raises(RuntimeError, match="something"):
        main(["report", "--out", "r.xlsx"])


# --------------------------------------------------------------------------- input paths that are not files


def _not_a_file(folder: Path, kind: str) -> str:
    """A path in ``folder`` that exists but is no regular file (or a link that leads nowhere)."""
    path = folder / f"{kind}.json"
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "directory":
        path.mkdir()
    elif kind == "zero":
        path.symlink_to("/dev/zero")
    elif kind == "broken":
        path.symlink_to(folder / "nowhere.json")
    return path.name


NOT_A_FILE = {  # what each says, as a pattern
    "fifo": re.escape("is a named pipe (FIFO), not a file"),
    "directory": re.escape("is a directory, not a file"),
    "zero": re.escape("is a device (a link to /dev/zero), not a file"),
    "broken": r"is a link to \S*nowhere\.json, which does not exist",
}


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes (POSIX)")
@pytest.mark.parametrize("kind", sorted(NOT_A_FILE))
@pytest.mark.parametrize(
    ("argv", "what"),
    [
        (["report", "--out", "r.xlsx", "--inputs"], "--inputs file"),
        (["simulate", "--draws", "10", "--distributions"], "--distributions file"),
        (["evaluate"], "workbook"),
    ],
)
def test_an_input_path_that_is_no_file_says_what_it_is(
    here: Path, capsys: pytest.CaptureFixture[str], kind: str, argv: list[str], what: str
) -> None:
    # Before: "file not found" for a FIFO, a directory or a /dev/zero link, though each exists.
    name = _not_a_file(here, kind)
    err = _refused([*argv, name], here, capsys)
    assert re.search(rf": bad input: {re.escape(what)} {re.escape(name)} {NOT_A_FILE[kind]}$", err), err


@pytest.mark.parametrize("content", ["[]", '[["contract_value", 50]]', "- contract_value\n"])
def test_an_inputs_file_holding_a_list_is_refused(
    here: Path, capsys: pytest.CaptureFixture[str], content: str
) -> None:
    # Before: a JSON list was accepted ([] gave the base case without a word).
    name = _json(here, "list.yaml" if content.startswith("-") else "list.json", content)
    err = _refused(["report", "--inputs", name, "--out", "r.xlsx"], here, capsys)
    assert err.endswith(
        f"{name} must hold a mapping of input names to values (for example contract_value: 38), got a list"
    )


@pytest.mark.parametrize(
    "argv",
    [
        ["report", "--out", ""],
        ["report", "--out", "  "],
        ["batch", "--out", ""],
        ["template", "--out", ""],
        ["exposure", "--draws", "10", "--out", ""],
        ["evaluate", str(DEFAULT_TEMPLATE), "--out", ""],
        ["report", "--inputs", ""],
        ["simulate", "--draws", "10", "--distributions", ""],
    ],
)
def test_an_empty_path_is_refused_not_taken_for_the_default(
    here: Path, capsys: pytest.CaptureFixture[str], argv: list[str]
) -> None:
    # Before: report --out "" wrote the default path and evaluate --out "" wrote nothing, silently.
    option = next(a for a in argv if a.startswith("--") and a != "--draws")
    err = _refused(argv, here, capsys)
    assert err == f"dealdesk {argv[0]}: {option} must name a file; got an empty name"


@pytest.mark.parametrize(
    ("name", "content", "shown"),
    [
        ("time.yaml", "start_date: 2025-11-03 09:00:00\n", "'2025-11-03 09:00:00'"),
        ("time_t.yaml", "start_date: 2025-11-03T09:00:00Z\n", "'2025-11-03T09:00:00Z'"),
        ("time.json", '{"start_date": "2025-11-03 09:00:00"}', "'2025-11-03 09:00:00'"),
        ("feb30.yaml", "start_date: 2025-02-30\n", "'2025-02-30'"),
    ],
)
def test_a_date_with_a_time_of_day_is_refused_in_yaml_as_in_json(
    here: Path, capsys: pytest.CaptureFixture[str], name: str, content: str, shown: str
) -> None:
    # Before: YAML read 2025-11-03 09:00:00 as a datetime and dropped the time; JSON refused it.
    _json(here, name, content)
    err = _refused(["report", "--inputs", name, "--out", "r.xlsx"], here, capsys)
    assert err.endswith(
        f"start_date must be a date (a date object or an ISO string such as '2025-11-03'), got {shown}"
    ), err


def test_a_plain_yaml_date_is_still_a_date(here: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _json(here, "day.yaml", "start_date: 2025-11-03\ncontract_value: 38\n")
    assert main(["report", "--inputs", "day.yaml", "--out", "r.xlsx"]) == 0
    assert capsys.readouterr().err == ""
