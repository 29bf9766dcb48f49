import asyncio
import base64
import dataclasses
import io
import json
import logging
import os
import re
import shutil
import struct

import httpx
import numpy as np
import pytest
from fastapi.testclient import TestClient
from PIL import Image

from nets.errors import ConfigError
from nets.recognizer import serve
from nets.recognizer.pipeline import BATCH_LINES, LOW_CONFIDENCE, MAX_LINES, Recognizer, answer, to_ink
from tests.recognizer.recognizer_fixtures import data_url, png, tiny_recognizer, two_rows


@pytest.fixture(scope="module")
def client():
  return TestClient(serve.create_app(recognizer=tiny_recognizer()), raise_server_exceptions=False)


def _served(client):
  """The next good request is answered: the server survived."""
  r = client.post("/v1/predict", json={"image": data_url(png(two_rows()))})
  assert r.status_code == 200, r.text
  return r.json()


def test_health_and_page(client):
  assert client.get("/health").json()["status"] == "ok"
  page = client.get("/")
  assert page.status_code == 200 and "<canvas" in page.text and "/v1/predict" in page.text


def test_json_and_multipart_read_the_two_lines(client):
  body = _served(client)
  assert [(ln["top"], ln["bottom"]) for ln in body["lines"]] == [(20, 70), (120, 170)]
  assert body["pred"] == "\n".join(ln["text"] for ln in body["lines"])
  raw = base64.b64encode(png(two_rows())).decode()  # Plain base64 without the data-URL header.
  assert client.post("/v1/predict", json={"image": raw}).json() == body
  upload = client.post("/v1/predict", files={"file": ("page.png", png(two_rows()), "image/png")})
  assert upload.status_code == 200 and upload.json() == body


def test_blank_page_reads_no_text(client):
  r = client.post("/v1/predict", json={"image": data_url(png(np.full((50, 50), 255)))})
  assert r.json() == {"pred": "", "alphabet": "digits", "lines": []}


def test_each_line_comes_with_its_confidence_and_the_answer_says_what_the_model_reads(client):
  """The served confidence is the recognizer's own (ctc.greedy_confidence of its logits), per line, and
  a line below LOW_CONFIDENCE is marked unsure; the page and /health say which alphabet is read."""
  body = _served(client)
  recognizer = client.app.state.service.recognizer
  strips, _ = recognizer.lines(to_ink(Image.open(io.BytesIO(png(two_rows())))))
  expected = recognizer.transcribe_scored(strips)
  assert [(ln["text"], ln["confidence"]) for ln in body["lines"]] == [
    (t, pytest.approx(c)) for t, c in expected
  ]
  assert all(
    0 < ln["confidence"] <= 1 and ln["unsure"] == (ln["confidence"] < LOW_CONFIDENCE) for ln in body["lines"]
  )
  assert body["alphabet"] == "digits" and client.get("/health").json()["model"]["alphabet"] == "digits"
  scored = [("12", LOW_CONFIDENCE - 0.01), ("34", LOW_CONFIDENCE)]
  _, lines = answer(scored, [(0, 10), (20, 30)])
  assert [ln["unsure"] for ln in lines] == [True, False]


def _raw(content: bytes, content_type: str) -> dict:
  return dict(content=content, headers={"content-type": content_type})


def _rows(n: int) -> np.ndarray:
  """A page of n lines: short black bars 6 rows tall, 6 blank rows apart."""
  page = np.full((12 * n + 12, 40), 255, np.uint8)
  for i in range(n):
    page[12 * i + 6 : 12 * i + 12, 8:20] = 0
  return page


def _big_png() -> bytes:
  return png(np.zeros((2001, 2000)))  # Over MAX_PIXELS, yet only a few kB of PNG.


BAD = {
  "malformed JSON": (dict(content=b'{"image": ', headers={"content-type": "application/json"}), 400, "JSON"),
  "not an object": (dict(json=["image"]), 422, "must be a JSON object"),
  "null body": (_raw(b"null", "application/json"), 422, "must be a JSON object"),
  "missing field": (dict(json={"img": "x"}), 422, 'missing field "image"'),
  "field not a string": (dict(json={"image": 5}), 422, "must be a string"),
  "field null": (dict(json={"image": None}), 422, "must be a string"),
  "bad base64": (dict(json={"image": "data:image/png;base64,@@@"}), 400, "not valid base64"),
  "data URL without base64": (dict(json={"image": "data:image/png,abc"}), 400, "base64 data URL"),
  "not an image": (dict(json={"image": data_url(b"hello, world")}), 415, "PNG, JPEG, GIF, BMP or WebP"),
  "empty image": (dict(json={"image": "data:image/png;base64,"}), 400, "empty"),
  "truncated image": (dict(json={"image": data_url(png(two_rows())[:200])}), 400, "damaged"),
  "too many pixels": (dict(json={"image": data_url(_big_png())}), 413, "pixels"),
  "too many bytes": (dict(json={"image": "A" * (serve.MAX_BYTES + 4)}), 413, "limit"),
  "charset not UTF-8": (
    dict(content=b'{"image": ""}', headers={"content-type": "application/json; charset=latin-1"}),
    415,
    "charset",
  ),
  "wrong content type": (dict(content=b"abc", headers={"content-type": "text/plain"}), 415, "content type"),
  "no content type": (dict(content=b"abc"), 415, "content type"),
  "multipart without file": (dict(files={"other": ("a.png", b"x", "image/png")}), 422, 'file field "file"'),
  "multipart non-image": (dict(files={"file": ("a.txt", b"text", "text/plain")}), 415, "or WebP"),
  "multipart empty file": (dict(files={"file": ("a.png", b"", "image/png")}), 400, "empty"),
  "multipart without boundary": (_raw(b"abc", "multipart/form-data"), 400, "multipart"),
  "too many lines": (dict(json={"image": data_url(png(_rows(MAX_LINES + 1)))}), 413, f"{MAX_LINES} lines"),
}

# Bodies that are not strict JSON (RFC 8259): each class is refused with 400 before any field is read.
NOT_STRICT_JSON = {
  "nested 5,000 deep": (b'{"image": ' + b"[" * 5000 + b"]" * 5000 + b"}", "nested deeper"),
  "nested 200,000 deep, unclosed": (b"[" * 200_000, "nested deeper"),
  "nested objects": (b'{"a": ' * 40 + b"1" + b"}" * 40, "nested deeper"),
  "a 5,000-digit integer": (b'{"image": "", "n": 1' + b"0" * 5000 + b"}", "a number of 5001"),
  "a float out of range": (b'{"image": "", "n": 1e999}', "not a finite number"),
  "NaN": (b'{"image": NaN}', "not a JSON value"),
  "Infinity": (b'{"image": "", "n": -Infinity}', "not a JSON value"),
  "duplicate keys": (b'{"image": "a", "image": "b"}', "appears twice"),
  "nested duplicate keys": (b'{"image": "a", "x": {"k": 1, "k": 2}}', "appears twice"),
  "invalid UTF-8": (b'{"image": "\xff"}', "not UTF-8"),
  "UTF-16": ('{"image": ""}'.encode("utf-16"), "not UTF-8"),
  "a UTF-8 byte order mark": (b'\xef\xbb\xbf{"image": ""}', "not valid JSON"),
  "a lone surrogate": (b'{"image": "\\ud800"}', "not valid base64"),
  "an empty body": (b"", "not valid JSON"),
  "trailing data": (b'{"image": ""} {}', "not valid JSON"),
  "single quotes": (b"{'image': ''}", "not valid JSON"),
}


@pytest.mark.parametrize("case", list(BAD))
def test_bad_input_is_a_4xx_json_error_and_the_next_request_is_served(client, case):
  kwargs, status, words = BAD[case]
  r = client.post("/v1/predict", **kwargs)
  assert r.status_code == status, r.text
  assert words in r.json()["error"]
  _served(client)


@pytest.mark.parametrize("case", list(NOT_STRICT_JSON))
def test_a_body_that_is_not_strict_json_is_a_400_and_the_next_request_is_served(client, case):
  body, words = NOT_STRICT_JSON[case]
  r = client.post("/v1/predict", content=body, headers={"content-type": "application/json"})
  assert r.status_code == 400, r.text
  assert words in r.json()["error"]
  _served(client)


def test_numbers_and_nesting_within_the_limits_are_accepted(client):
  body = {"image": data_url(png(two_rows())), "n": 10**99, "x": 1e308, "deep": [[[[[[[1]]]]]]]}
  r = client.post("/v1/predict", content=json.dumps(body), headers={"content-type": "application/json"})
  assert r.status_code == 200 and r.json() == _served(client)


def test_a_page_of_more_lines_than_a_model_call_reads_is_read_whole(client):
  n = BATCH_LINES + 8
  r = client.post("/v1/predict", json={"image": data_url(png(_rows(n)))})
  assert r.status_code == 200, r.text
  lines = r.json()["lines"]
  assert [(ln["top"], ln["bottom"]) for ln in lines] == [(12 * i + 6, 12 * i + 12) for i in range(n)]


def test_unknown_paths_and_methods_answer_the_json_error():
  app_client = TestClient(serve.create_app(recognizer=tiny_recognizer()))
  r = app_client.get("/nowhere")
  assert r.status_code == 404 and "error" in r.json()
  r = app_client.get("/v1/predict")
  assert r.status_code == 405 and "error" in r.json() and "POST" in r.headers["allow"]


def test_access_log_has_a_json_line_per_request(client, caplog):
  with caplog.at_level(logging.INFO, logger="nets.recognizer.access"):
    _served(client)
    client.post("/v1/predict", json={"img": ""})
  records = [json.loads(r.getMessage()) for r in caplog.records if r.name == "nets.recognizer.access"]
  assert len(records) == 2
  good, bad = records
  assert (good["method"], good["path"], good["status"], good["lines"]) == ("POST", "/v1/predict", 200, 2)
  assert good["bytes_in"] > 500 and good["bytes_out"] > 20 and good["ms"] > 0
  assert (bad["status"], bad["lines"]) == (422, None)


def _metric(text: str, name: str) -> float:
  """The value of one series in Prometheus' text format (0 when absent)."""
  for line in text.splitlines():
    if line.startswith(name + " "):
      return float(line.split()[-1])
  return 0.0


def test_metrics_count_requests_by_status_and_time_the_model():
  app_client = TestClient(serve.create_app(recognizer=tiny_recognizer()))
  for _ in range(3):
    _served(app_client)
  app_client.post("/v1/predict", json={"image": 5})
  app_client.post("/v1/predict", content=b"[" * 100, headers={"content-type": "application/json"})
  text = app_client.get("/metrics").text
  ok = 'nets_http_requests_total{method="POST",path="/v1/predict",status="200"}'
  assert _metric(text, ok) == 3
  assert _metric(text, ok.replace("200", "422")) == 1 and _metric(text, ok.replace("200", "400")) == 1
  assert _metric(text, 'nets_http_request_seconds_count{method="POST",path="/v1/predict"}') == 5
  assert _metric(text, "nets_model_seconds_count") == 3 and _metric(text, "nets_model_seconds_sum") > 0
  assert _metric(text, "nets_lines_read_total") == 6


def test_micro_batching_reads_concurrent_requests_in_one_model_call_with_the_same_answers():
  recognizer = tiny_recognizer()
  alone = TestClient(serve.create_app(recognizer=recognizer))
  pages = [png(_rows(n)) for n in (1, 2, 3, 4)]
  expected = [alone.post("/v1/predict", json={"image": data_url(p)}).json() for p in pages]
  app = serve.create_app(recognizer=recognizer, batch_ms=200)

  async def together():
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as c:
      answers = await asyncio.gather(*(c.post("/v1/predict", json={"image": data_url(p)}) for p in pages))
      return [r.json() for r in answers], (await c.get("/metrics")).text

  answers, text = asyncio.run(together())
  # The same texts and lines; the confidences to float rounding, since XLA may sum a batch of 10 lines in
  # another order than a batch of 1 (seen on a CPU without AVX-512: 0.16298027 against 0.16298024).
  without_confidence = lambda a: {**a, "lines": [{**x, "confidence": None} for x in a["lines"]]}
  assert [without_confidence(a) for a in answers] == [without_confidence(e) for e in expected]
  confidences = lambda answers: [x["confidence"] for a in answers for x in a["lines"]]
  assert confidences(answers) == pytest.approx(confidences(expected), rel=1e-5)
  assert _metric(text, "nets_model_seconds_count") == 1  # 10 lines of 4 requests: one model call.
  assert _metric(text, "nets_model_batch_lines_sum") == 10


def test_a_checkpoint_is_required(monkeypatch, tmp_path):
  monkeypatch.delenv("NETS_CHECKPOINT", raising=False)
  with pytest.raises(SystemExit, match="NETS_CHECKPOINT"):
    serve.create_app()
  with pytest.raises(ConfigError, match="not a training workdir"):
    Recognizer.from_workdir(str(tmp_path))


ACCEPTED = ("PNG", "JPEG", "GIF", "BMP", "WEBP")


def _encoded(fmt: str, page=None) -> bytes:
  buf = io.BytesIO()
  Image.fromarray(two_rows() if page is None else page).save(buf, format=fmt)
  return buf.getvalue()


def _upload(client, raw: bytes):
  return client.post("/v1/predict", files={"file": ("page", raw, "application/octet-stream")})


@pytest.mark.parametrize("fmt", ACCEPTED)
def test_each_accepted_format_is_read_and_a_truncated_file_is_a_400(client, fmt):
  r = _upload(client, _encoded(fmt))
  assert r.status_code == 200 and len(r.json()["lines"]) == 2, r.text
  raw = _encoded(fmt, np.random.default_rng(0).integers(0, 256, (200, 400), dtype=np.uint8))
  r = _upload(client, raw[: len(raw) // 2])
  assert r.status_code == 400 and "damaged" in r.json()["error"], r.text


def _spider_that_crashes_its_reader() -> bytes:
  """A SPIDER file whose header says "image 1 of a stack" without the stack: Pillow's reader raises
  AttributeError (outside the errors a decoder is expected to raise): the old service answered 500."""
  buf = io.BytesIO()
  Image.new("F", (8, 8)).save(buf, format="SPIDER")
  raw = bytearray(buf.getvalue())
  raw[26 * 4 : 27 * 4] = struct.pack(">f", 1.0)  # Header word 27, imgnumber: 1 with istack 0.
  return bytes(raw)


OTHER_FORMATS = {
  "TIFF": lambda: _encoded("TIFF"),
  "PPM": lambda: _encoded("PPM"),
  "ICO": lambda: _encoded("ICO"),
  "TGA": lambda: _encoded("TGA"),
  "PCX": lambda: _encoded("PCX"),
  "SPIDER, crafted": _spider_that_crashes_its_reader,
  "EPS": lambda: b"%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 10 10\nshowpage\n",
  "JPEG 2000": lambda: b"\x00\x00\x00\x0cjP  \r\n\x87\n" + bytes(64),
  "PSD": lambda: b"8BPS\x00\x01" + bytes(64),
  "FITS": lambda: b"SIMPLE  =                    T" + bytes(64),
}


@pytest.mark.parametrize("name", list(OTHER_FORMATS))
def test_other_formats_are_a_415_naming_the_accepted_ones_and_no_other_reader_runs(client, monkeypatch, name):
  from PIL import Image as PILImage

  opened = []
  PILImage.init()
  for fmt, (factory, accept) in list(PILImage.OPEN.items()):
    if fmt not in ACCEPTED:
      spy = lambda *a, _f=factory, _n=fmt: (opened.append(_n), _f(*a))[1]  # noqa: E731
      monkeypatch.setitem(PILImage.OPEN, fmt, (spy, accept))
  r = _upload(client, OTHER_FORMATS[name]())
  assert r.status_code == 415 and "PNG, JPEG, GIF, BMP or WebP" in r.json()["error"], r.text
  assert opened == []


@pytest.mark.parametrize(
  "error", [EOFError, struct.error, IndexError, KeyError, OSError, SyntaxError, ValueError]
)
def test_any_error_of_a_reader_is_a_400(client, monkeypatch, error):
  """Crafted files make Pillow's readers raise many kinds (EOFError, struct.error, ...); whatever a
  reader raises while decoding, the answer is a 400."""
  from PIL import ImageFile

  def crafted(self):
    raise error("raised by a reader on a crafted file")

  monkeypatch.setattr(ImageFile.ImageFile, "load", crafted)
  for fmt in ACCEPTED:
    r = _upload(client, _encoded(fmt))
    assert r.status_code == 400 and error.__name__ in r.json()["error"], (fmt, r.text)


def _series(text: str) -> int:
  return sum(1 for line in text.splitlines() if line and not line.startswith("#"))


def test_a_thousand_unknown_methods_and_paths_leave_the_metric_series_unchanged():
  app_client = TestClient(serve.create_app(recognizer=tiny_recognizer()))
  app_client.request("FOO", "/v1/predict")
  app_client.request("FOO", "/nowhere")
  app_client.get("/metrics")  # Its own series, recorded after it answers.
  before = app_client.get("/metrics").text
  for i in range(1000):
    assert app_client.request(f"FOO{i}", f"/nowhere/{i}" if i % 2 else "/v1/predict").status_code in (
      404,
      405,
    )
  after = app_client.get("/metrics").text
  assert _series(after) == _series(before)
  assert 'method="other",path="unmatched",status="404"' in after and "FOO" not in after


@pytest.fixture(scope="module")
def workdir(tmp_path_factory):
  """A run with checkpoints/ at step 3 and best/ at step 7, and its export."""
  from nets.export import export
  from tests.recognizer.recognizer_fixtures import untrained_workdir

  path = str(tmp_path_factory.mktemp("runs") / "run_a")
  untrained_workdir(path, best_step=7)
  export(path, os.path.join(path, "export"), ("cpu",))
  return path


def _tree(path: str) -> list:
  return sorted((d, sorted(fs), os.stat(d).st_mtime_ns) for d, _, fs in os.walk(path))


def test_the_best_checkpoint_is_served_read_only_and_named_without_paths(workdir):
  before = _tree(workdir)
  c = TestClient(serve.create_app(checkpoint=workdir))
  health, ready = c.get("/health"), c.get("/ready")
  model = {
    "run": "run_a",
    "step": 7,
    "source": "best",
    "sha256": None,
    "alphabet": "digits",
    "decoding": "greedy",
  }
  assert health.json() == {"status": "ok", "model": model}
  assert ready.status_code == 200 and ready.json()["status"] == "ready" and ready.json()["model"] == model
  assert os.path.dirname(workdir) not in health.text + ready.text
  assert _tree(workdir) == before  # Nothing created, saved or cleaned up in the run.


def test_a_workdir_without_checkpoints_is_refused_and_left_as_it_was(workdir, tmp_path):
  empty = tmp_path / "untrained"
  empty.mkdir()
  shutil.copy(os.path.join(workdir, "config.json"), empty)
  with pytest.raises(ConfigError, match="no checkpoint"):
    Recognizer.from_workdir(str(empty))
  assert os.listdir(empty) == ["config.json"]


def _export_copy(workdir: str, tmp_path, **spec_changes) -> str:
  out = tmp_path / "export"
  shutil.copytree(os.path.join(workdir, "export"), out)
  spec = json.loads((out / "spec.json").read_text())
  spec.update(spec_changes)
  (out / "spec.json").write_text(json.dumps(spec))
  return str(out)


def test_an_export_is_served_by_its_sha256_and_refused_when_it_differs_or_lies_outside(workdir, tmp_path):
  good = _export_copy(workdir, tmp_path)
  c = TestClient(serve.create_app(checkpoint=good))
  spec = json.loads(open(os.path.join(good, "spec.json")).read())
  assert c.get("/health").json()["model"] == {
    "run": "run_a",
    "step": 7,
    "source": "export",
    "sha256": spec["sha256"],
    "alphabet": "digits",
    "decoding": "greedy",
  }
  assert "decoding" not in spec and not os.path.exists(os.path.join(good, "charlm.json.gz"))  # Digits: no LM.
  artifact = os.path.join(good, spec["artifact"])
  outside = tmp_path / "elsewhere.jax_export"  # The same bytes, so only the path check can refuse it.
  shutil.copy(artifact, outside)
  with open(artifact, "r+b") as f:  # One byte changed.
    f.seek(100)
    byte = f.read(1)
    f.seek(100)
    f.write(bytes([byte[0] ^ 1]))
  with pytest.raises(ConfigError, match="SHA-256"):
    Recognizer.load(good)
  for name, changes, words in [
    ("up", {"artifact": "../elsewhere.jax_export"}, "outside the export directory"),
    ("absolute", {"artifact": str(outside)}, "outside the export directory"),
    ("unrecorded", {"sha256": None}, "records no sha256"),
  ]:
    with pytest.raises(ConfigError, match=words):
      Recognizer.load(_export_copy(workdir, tmp_path / name, **changes))


def test_docs_pages_load_their_assets_from_the_server_itself(client):
  assert client.get("/redoc").status_code == 404  # Dropped: ReDoc's bundle fetches a logo from a CDN.
  for page in ("/docs",):
    html = client.get(page).text
    urls = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert urls and all(u.startswith("/docs/assets/") for u in urls), urls
    for url in urls:
      asset = client.get(url)
      assert asset.status_code == 200 and len(asset.content) > 1000, url
  assert client.get("/docs/assets/..%2Fconsts.py").status_code == 404


@pytest.fixture(scope="module")
def text_export(tmp_path_factory):
  """An untrained text run whose config decodes by beam search with a character LM, and its export."""
  from nets.export import export
  from tests.recognizer.recognizer_fixtures import untrained_workdir

  path = str(tmp_path_factory.mktemp("runs") / "run_text")
  untrained_workdir(path, text=True)
  export(path, os.path.join(path, "export"), ("cpu",))
  return os.path.join(path, "export")


def test_a_text_export_carries_its_lm_and_the_service_reads_by_beam_search_with_it(text_export):
  """The LM travels in the export, checksummed; the service reads each line by beam search with it (as
  the run's own recognizer does), keeps the greedy confidence, and says so in /health."""
  from nets.data.lines import TEXT
  from nets.recognizer.beam import decode_batch
  from nets.recognizer.pipeline import fused_decoder
  from nets.training.workdir import read_config

  spec = json.loads(open(os.path.join(text_export, "spec.json")).read())
  assert spec["decoding"]["lm"] == "charlm.json.gz" and len(spec["decoding"]["lm_sha256"]) == 64
  assert {k: spec["decoding"][k] for k in ("beam", "alpha", "beta")} == {"beam": 8, "alpha": 0.4, "beta": 2.0}
  run = Recognizer.from_workdir(os.path.dirname(text_export), lm=True)
  assert run.decoder.lm.to_bytes() == fused_decoder(read_config(os.path.dirname(text_export))).lm.to_bytes()
  c = TestClient(serve.create_app(checkpoint=text_export))
  served = c.app.state.service.recognizer
  assert served.decoder.lm.to_bytes() == run.decoder.lm.to_bytes()
  assert (
    c.get("/health").json()["model"]["decoding"]
    == "beam search of 8 with a character 6-gram (alpha 0.4, beta 2.0)"
  )
  page = np.full((120, 600), 255, np.uint8)
  page[20:50, 30:300:9] = page[70:100, 40:500:7] = 0  # Two rows of strokes: two lines.
  body = c.post("/v1/predict", json={"image": data_url(png(page))}).json()
  strips, _ = served.lines(to_ink(Image.open(io.BytesIO(png(page)))))
  logits = np.asarray(run.model.apply(run.variables, strips[..., None], train=False))
  d = spec["decoding"]
  beam = decode_batch(logits, TEXT, lm=run.decoder.lm, alpha=d["alpha"], beta=d["beta"], beam=d["beam"])
  greedy = dataclasses.replace(run, decoder=None).transcribe_scored(strips)
  assert beam != [t for t, _ in greedy]  # The case tells the two decodings apart.
  assert [ln["text"] for ln in body["lines"]] == beam
  assert [ln["confidence"] for ln in body["lines"]] == pytest.approx([p for _, p in greedy])  # Of the frames.
  assert body["alphabet"] == "text" and len(body["lines"]) == 2


@pytest.mark.parametrize("damage", ["changed", "missing"])
def test_a_text_export_whose_lm_differs_or_is_missing_is_refused(text_export, tmp_path, damage):
  copy = tmp_path / "export"
  shutil.copytree(text_export, copy)
  lm = copy / "charlm.json.gz"
  if damage == "changed":
    raw = bytearray(lm.read_bytes())
    raw[-5] ^= 1
    lm.write_bytes(bytes(raw))
  else:
    lm.unlink()
  with pytest.raises(ConfigError, match="SHA-256" if damage == "changed" else "lacks"):
    Recognizer.load(str(copy))
