"""The add-in ``dealdesk serve`` hands to Excel is DealDesk's own, and every button in it works, over HTTP and HTTPS.

Read as Excel reads it: the manifest (XML), then every address it names, each
fetched from the running server, and each ribbon button followed to what it
runs. The HTTPS half follows docs/excel.md's xlwings Server steps: a local
certificate authority and a certificate for ``127.0.0.1`` and ``localhost``
under mkcert's file names (made here with openssl, as mkcert would), the
documented ``dealdesk serve`` command run as written (with a free port), and
a client that trusts the authority (as ``mkcert -install`` makes the machine
do) next to one that does not.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import ssl
import struct
import subprocess
import sys
import time
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest

from addin.server_project import ICON_SIZES, project_files
from tests.addin.servers import START_BOUND, TIMEOUT, free_port

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs" / "excel.md"
NS = {
    "o": "http://schemas.microsoft.com/office/appforoffice/1.1",
    "bt": "http://schemas.microsoft.com/office/officeappbasictypes/1.0",
    "v": "http://schemas.microsoft.com/office/taskpaneappversionoverrides",
    "xsi": "http://www.w3.org/2001/XMLSchema-instance",
}
XSI_TYPE = f"{{{NS['xsi']}}}type"
# What xlwings Server's sample manifest and ribbon carry; none of it may be left.
SAMPLE = (
    "Hello World",
    "hello",
    "MyGroup",
    "MyTab",
    "MyFunctionButton",
    "MyTaskpaneButton",
    "Show Taskpane",
    "xlwings-",
)


def fetch(url: str, context: ssl.SSLContext | None = None) -> tuple[int, str, bytes]:
    """GET ``url``: status, content type, body bytes (an HTTP error is returned, not raised)."""
    try:
        with urllib.request.urlopen(url, timeout=TIMEOUT, context=context) as response:
            return response.status, response.headers.get("Content-Type", ""), response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("Content-Type", ""), error.read()


@contextlib.contextmanager
def running(
    command: list[str], *, cwd: Path, env: dict, origin: str, context=None
) -> Iterator[subprocess.Popen]:
    """Run ``command`` until ``origin + "/"`` answers 200; yield the process; always stop it (Ctrl+C first)."""
    log = cwd / "server.log"
    with log.open("a") as out:
        process = subprocess.Popen(command, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + START_BOUND
            while True:
                assert process.poll() is None, log.read_text()
                with contextlib.suppress(OSError):
                    if fetch(origin + "/", context)[0] == 200:
                        break
                assert time.monotonic() < deadline, "server did not start: " + log.read_text()
                time.sleep(0.5)
            yield process
        finally:
            stop(process)


def stop(process: subprocess.Popen) -> int | None:
    """Ctrl+C (SIGINT), as the docs say to stop the server; killed if it has not stopped in 20 s."""
    if process.poll() is None:
        process.send_signal(signal.SIGINT)
        try:
            return process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=20)
            return None
    return process.returncode


def _env() -> dict:
    env = dict(os.environ, XLWINGS_LICENSE_KEY="noncommercial", PYTHONPATH=str(ROOT))
    env.pop("XLWINGS_ON_SERVER", None)
    return env


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("addin")
    port = free_port()
    command = [sys.executable, "-m", "workbook.cli", "serve", "--port", str(port)]
    origin = f"http://127.0.0.1:{port}"
    with running(command, cwd=folder, env=_env(), origin=origin):
        yield origin


def _manifest(origin: str, context=None) -> tuple[str, ET.Element]:
    status, _, body = fetch(origin + "/manifest.xml", context)
    assert status == 200
    text = body.decode("utf-8")
    return text, ET.fromstring(body)


def _resources(root: ET.Element) -> dict[str, str]:
    """resid -> DefaultValue for every image, URL and string of the manifest's resources."""
    return {
        e.get("id"): e.get("DefaultValue")
        for e in root.iter()
        if e.get("id") and e.get("DefaultValue") is not None
    }


def _buttons(root: ET.Element) -> list[ET.Element]:
    return root.findall(".//v:CustomTab/v:Group/v:Control", NS)


# --------------------------------------------------------------------------- the manifest


def test_the_manifest_is_dealdesks_own(server):
    text, root = _manifest(server)
    assert root.find("o:DisplayName", NS).get("DefaultValue") == "DealDesk"
    assert root.find("o:ProviderName", NS).text == "DealDesk"
    assert "AI cloud-compute contracts" in root.find("o:Description", NS).get("DefaultValue")
    assert not [word for word in SAMPLE if word in text]
    resources = _resources(root)
    tab = root.find(".//v:CustomTab", NS)
    assert resources[tab.find("v:Label", NS).get("resid")] == "DealDesk"
    assert resources[tab.find("v:Group/v:Label", NS).get("resid")] == "Contract model"
    assert [resources[b.find("v:Label", NS).get("resid")] for b in _buttons(root)] == [
        "DealDesk",
        "Re-enter formulas",
    ]


def test_every_resource_the_manifest_names_exists(server):
    _, root = _manifest(server)
    resources = _resources(root)
    named = {e.get("resid") for e in root.iter() if e.get("resid")}
    assert named <= set(resources), named - set(resources)


def test_every_address_in_the_manifest_answers_200(server):
    text, _ = _manifest(server)
    addresses = sorted(set(re.findall(r'"(http[^"]+)"', text)) | set(re.findall(r">(http[^<]+)<", text)))
    addresses = [a for a in addresses if a.startswith(server)]
    assert len(addresses) >= 8, addresses
    for address in addresses:
        status, content_type, body = fetch(address)
        assert status == 200, (address, status)
        if address.endswith(".png"):
            assert content_type == "image/png" and body[:8] == b"\x89PNG\r\n\x1a\n", address


def test_the_icons_have_the_sizes_the_manifest_gives(server):
    _, root = _manifest(server)
    for image in root.iter(f"{{{NS['bt']}}}Image"):
        if image.get("DefaultValue"):
            size = int(re.search(r"dealdesk-(\d+)\.png$", image.get("DefaultValue")).group(1))
            body = fetch(image.get("DefaultValue"))[2]
            assert struct.unpack(">II", body[16:24]) == (size, size)
    for url in ("IconUrl", "HighResolutionIconUrl"):
        body = fetch(root.find(f"o:{url}", NS).get("DefaultValue"))[2]
        assert struct.unpack(">II", body[16:24]) == ({"IconUrl": 32, "HighResolutionIconUrl": 64}[url],) * 2
    assert set(ICON_SIZES) == {16, 32, 64, 80}


def test_the_favicon_is_dealdesks(server):
    assert fetch(server + "/favicon.ico")[2] == project_files()["static/images/dealdesk-32.png"]


# --------------------------------------------------------------------------- the buttons


def test_the_open_button_shows_the_task_pane(server):
    _, root = _manifest(server)
    resources = _resources(root)
    (button,) = [b for b in _buttons(root) if b.find("v:Action", NS).get(XSI_TYPE) == "ShowTaskpane"]
    status, _, page = fetch(resources[button.find("v:Action/v:SourceLocation", NS).get("resid")])
    assert status == 200
    assert b"models large AI cloud-compute contracts" in page and b'id="dealdesk-rebind"' in page


def test_the_re_enter_button_runs_a_function_the_function_file_associates(server):
    _, root = _manifest(server)
    resources = _resources(root)
    (button,) = [b for b in _buttons(root) if b.find("v:Action", NS).get(XSI_TYPE) == "ExecuteFunction"]
    name = button.find("v:Action/v:FunctionName", NS).text
    function_file = root.find(".//v:DesktopFormFactor/v:FunctionFile", NS).get("resid")
    status, _, page = fetch(resources[function_file])
    assert status == 200
    associated = {}
    for src in re.findall(rb'<script[^>]*src="([^"]+)"', page):
        url = src.decode() if src.startswith(b"http") else server + src.decode()
        script_status, _, script = fetch(url)
        assert script_status == 200, url
        for found in re.findall(rb'Office\.actions\.associate\("([^"]+)"', script):
            associated[found.decode()] = url
    # Only DealDesk's action is associated: the sample's "hello-ribbon" (hello_world, which
    # DealDesk does not define) is gone. What the action does runs in test_server_rebind.py.
    assert associated == {name: server + "/static/js/ribbon.js"}
    assert fetch(server + "/static/js/ribbon.js")[2] == (ROOT / "addin" / "server_ribbon.js").read_bytes()
    status, _, scripts = fetch(server + "/xlwings/custom-scripts-meta.json")
    assert (status, scripts) == (200, b"[]")  # no button runs a Python script


def test_a_manifest_over_plain_http_says_it_will_be_refused(server):
    text, _ = _manifest(server)
    assert "Office loads add-ins over HTTPS only" in text


# --------------------------------------------------------------------------- HTTPS, as docs/excel.md says


def _openssl(*args: str, cwd: Path) -> None:
    subprocess.run(["openssl", *args], cwd=cwd, check=True, capture_output=True, timeout=60)


@pytest.fixture(scope="module")
def certificate(tmp_path_factory):
    """A local authority and its certificate for 127.0.0.1 and localhost, under mkcert's file names."""
    if shutil.which("openssl") is None:
        pytest.skip("openssl is needed to make a test certificate")
    folder = tmp_path_factory.mktemp("tls")
    _openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=DealDesk test CA",
             "-keyout", "rootCA-key.pem", "-out", "rootCA.pem", cwd=folder)  # fmt: skip
    _openssl("req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=127.0.0.1",
             "-keyout", "127.0.0.1+1-key.pem", "-out", "leaf.csr", cwd=folder)  # fmt: skip
    (folder / "san.ext").write_text("subjectAltName=IP:127.0.0.1,DNS:localhost\n")
    _openssl("x509", "-req", "-in", "leaf.csr", "-CA", "rootCA.pem", "-CAkey", "rootCA-key.pem",
             "-CAcreateserial", "-days", "2", "-extfile", "san.ext", "-out", "127.0.0.1+1.pem", cwd=folder)  # fmt: skip
    return folder


def _documented_command() -> str:
    """The one `dealdesk serve` command of docs/excel.md's xlwings Server section, as written."""
    section = DOCS.read_text(encoding="utf-8").split("## xlwings Server", 1)[1].split("\n## ", 1)[0]
    (block,) = [b for b in re.findall(r"```(?:bash)?\n(.*?)```", section, re.S) if "dealdesk serve" in b]
    return block.replace("\\\n", " ").strip()


def _documented_manifest_address() -> str:
    section = DOCS.read_text(encoding="utf-8").split("## xlwings Server", 1)[1].split("\n## ", 1)[0]
    (address,) = set(re.findall(r"`(https://[^`]+/manifest\.xml)`", section))
    return address


def _documented(certificate: Path, port: int) -> tuple[list[str], str, ssl.SSLContext]:
    """The documented command (with ``--port``), the origin it serves, and a client trusting the authority."""
    if not (certificate / ".venv").exists():
        (certificate / ".venv").symlink_to(ROOT / ".venv")
    command = ["bash", "-c", f"{_documented_command()} --port {port}"]
    trusted = ssl.create_default_context(cafile=str(certificate / "rootCA.pem"))
    origin = _documented_manifest_address().replace(":8000/", f":{port}/").removesuffix("/manifest.xml")
    return command, origin, trusted


@pytest.fixture(scope="module")
def tls_server(certificate):
    # The documented command, run as written from a folder holding the certificate files and the
    # project's .venv; only a free port is added (the documented one, 8000, may be in use here).
    command, origin, trusted = _documented(certificate, free_port())
    with running(command, cwd=certificate, env=_env(), origin=origin, context=trusted):
        yield origin, trusted


def test_the_documented_address_is_the_loopback_default():
    assert _documented_manifest_address() == "https://127.0.0.1:8000/manifest.xml"
    assert "--ssl-certfile 127.0.0.1+1.pem --ssl-keyfile 127.0.0.1+1-key.pem" in _documented_command()


def test_over_https_every_address_in_the_manifest_is_https_and_answers(tls_server):
    origin, trusted = tls_server
    text, _ = _manifest(origin, trusted)
    addresses = set(re.findall(r'"(https?://[^"]+)"', text)) | set(re.findall(r">(https?://[^<]+)<", text))
    ours = {a for a in addresses if "127.0.0.1" in a}
    assert ours and all(a.startswith(origin) for a in ours), ours
    assert "Office loads add-ins over HTTPS only" not in text
    for address in ours:
        assert fetch(address, trusted)[0] == 200, address


def test_a_client_that_does_not_trust_the_authority_refuses_the_server(tls_server):
    # What `mkcert -install` changes: without the local authority in the trust store, the same
    # address fails certificate verification (Excel shows the add-in as unavailable).
    origin, _ = tls_server
    with pytest.raises(urllib.error.URLError, match="CERTIFICATE_VERIFY_FAILED"):
        fetch(origin + "/manifest.xml", ssl.create_default_context(cafile=None, capath=None, cadata=None))


def test_localhost_is_in_the_certificate_too(tls_server):
    origin, trusted = tls_server
    assert fetch(origin.replace("127.0.0.1", "localhost") + "/taskpane.html", trusted)[0] == 200


def test_ctrl_c_stops_the_server_and_the_same_command_serves_the_same_manifest_again(certificate):
    # Stop and restart as the docs say: the saved manifest stays valid (same id, same addresses).
    command, origin, trusted = _documented(certificate, free_port())
    manifests = []
    for _ in range(2):
        with running(command, cwd=certificate, env=_env(), origin=origin, context=trusted) as process:
            manifests.append(_manifest(origin, trusted)[0])
            assert stop(process) == 0
        with pytest.raises(urllib.error.URLError):
            fetch(origin + "/", trusted)  # nothing listens any more
    assert manifests[0] == manifests[1]
