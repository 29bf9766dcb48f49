import base64

import numpy as np
import pytest
from fastapi.testclient import TestClient

from nets.errors import ConfigError
from nets.recognizer import serve
from nets.recognizer.pipeline import Recognizer
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
  assert r.json() == {"pred": "", "lines": []}


def _big_png() -> bytes:
  return png(np.zeros((2001, 2000)))  # Over MAX_PIXELS, yet only a few kB of PNG.


BAD = {
  "malformed JSON": (dict(content=b'{"image": ', headers={"content-type": "application/json"}), 400, "JSON"),
  "not an object": (dict(json=["image"]), 422, 'missing field "image"'),
  "missing field": (dict(json={"img": "x"}), 422, 'missing field "image"'),
  "field not a string": (dict(json={"image": 5}), 422, "must be a string"),
  "bad base64": (dict(json={"image": "data:image/png;base64,@@@"}), 400, "not valid base64"),
  "data URL without base64": (dict(json={"image": "data:image/png,abc"}), 400, "base64 data URL"),
  "not an image": (dict(json={"image": data_url(b"hello, world")}), 400, "not an image"),
  "empty image": (dict(json={"image": "data:image/png;base64,"}), 400, "empty"),
  "truncated image": (dict(json={"image": data_url(png(two_rows())[:200])}), 400, "damaged"),
  "too many pixels": (dict(json={"image": data_url(_big_png())}), 413, "pixels"),
  "too many bytes": (dict(json={"image": "A" * (serve.MAX_BYTES + 4)}), 413, "limit"),
  "wrong content type": (dict(content=b"abc", headers={"content-type": "text/plain"}), 415, "content type"),
  "no content type": (dict(content=b"abc"), 415, "content type"),
  "multipart without file": (dict(files={"other": ("a.png", b"x", "image/png")}), 422, 'file field "file"'),
  "multipart non-image": (dict(files={"file": ("a.txt", b"text", "text/plain")}), 400, "not an image"),
  "multipart empty file": (dict(files={"file": ("a.png", b"", "image/png")}), 400, "empty"),
}


@pytest.mark.parametrize("case", list(BAD))
def test_bad_input_is_a_4xx_json_error_and_the_next_request_is_served(client, case):
  kwargs, status, words = BAD[case]
  r = client.post("/v1/predict", **kwargs)
  assert r.status_code == status, r.text
  assert words in r.json()["error"]
  _served(client)


def test_a_checkpoint_is_required(monkeypatch, tmp_path):
  monkeypatch.delenv("NETS_CHECKPOINT", raising=False)
  with pytest.raises(SystemExit, match="NETS_CHECKPOINT"):
    serve.create_app()
  with pytest.raises(ConfigError, match="not a training workdir"):
    Recognizer.from_workdir(str(tmp_path))
