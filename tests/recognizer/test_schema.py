"""The service against its own OpenAPI description: schemathesis generates requests from /openapi.json
(valid and invalid bodies, both content types, unexpected methods) and checks every answer: no 5xx,
each status and body as documented; and openapi-core, a strict OpenAPI 3.1 validator, checks the
requests a client sends and every kind of answer, the 500 and 503 included."""

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings
from openapi_core import OpenAPI
from openapi_core.datatypes import RequestParameters
from schemathesis.specs.openapi.checks import positive_data_acceptance
from werkzeug.datastructures import Headers, ImmutableMultiDict

from nets.recognizer import serve
from tests.recognizer.recognizer_fixtures import data_url, png, tiny_recognizer, two_rows
from tests.recognizer.test_serve import BAD, NOT_STRICT_JSON

app = serve.create_app(recognizer=tiny_recognizer())
schema = schemathesis.openapi.from_asgi("/openapi.json", app)


def test_predict_is_described_with_its_bodies_answer_and_errors():
  spec = app.openapi()
  post = spec["paths"]["/v1/predict"]["post"]
  assert set(post["requestBody"]["content"]) == {"application/json", "multipart/form-data"}
  assert post["requestBody"]["content"]["application/json"]["schema"]["required"] == ["image"]
  assert post["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].endswith("PredictAnswer")
  for status in ("400", "408", "413", "415", "422", "500", "503", "504"):
    assert post["responses"][status]["content"]["application/json"]["schema"]["$ref"].endswith("ErrorAnswer")
  assert "Retry-After" in post["responses"]["503"]["headers"]


@schema.parametrize()
@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
def test_every_generated_request_is_answered_as_documented(case):
  # Every check (not_a_server_error, response_schema_conformance, status_code_conformance,
  # negative_data_rejection, ...) but positive_data_acceptance: a schema cannot say "a string that
  # decodes to an image", so a schema-valid {"image": "L"} is rightly a documented 400.
  case.call_and_validate(excluded_checks=[positive_data_acceptance])


class _Request:
  """An httpx request as openapi-core reads one."""

  def __init__(self, r):
    self.host_url, self.path, self.method = "http://testserver", r.url.path, r.method.lower()
    self.parameters = RequestParameters(
      query=ImmutableMultiDict(r.url.params.multi_items()), header=Headers(dict(r.headers)), cookie={}
    )
    self.content_type, self.body = r.headers.get("content-type", "").lower(), r.read()


class _Response:
  def __init__(self, r):
    self.status_code, self.content_type = r.status_code, r.headers.get("content-type", "")
    self.headers, self.data = Headers(dict(r.headers)), r.content


@pytest.fixture(scope="module")
def validator():
  spec = app.openapi()
  assert spec["openapi"].startswith("3.1")
  return OpenAPI.from_dict(spec)


GOOD = {
  "JSON": dict(json={"image": data_url(png(two_rows()))}),
  "multipart": dict(files={"file": ("page.png", png(two_rows()), "image/png")}),
}


@pytest.mark.parametrize("case", list(GOOD))
def test_a_good_request_and_its_answer_validate_against_the_schema(validator, case):
  with TestClient(app) as client:  # Its lifespan starts the service (schemathesis' sessions stop it).
    r = client.post("/v1/predict", **GOOD[case])
  assert r.status_code == 200
  validator.validate_request(_Request(r.request))  # Raises if the schema refuses the upload.
  validator.validate_response(_Request(r.request), _Response(r))


def _answers():
  """An answer of every status the service gives, each with the request that drew it."""
  client = TestClient(app, raise_server_exceptions=False)
  app.state.service.work.start()  # Schemathesis' sessions ran the app's lifespan, which stops it.
  for kwargs, _, _ in BAD.values():
    yield client.post("/v1/predict", **kwargs)
  for body, _ in NOT_STRICT_JSON.values():
    yield client.post("/v1/predict", content=body, headers={"content-type": "application/json"})
  broken = serve.create_app(recognizer=tiny_recognizer())
  broken.state.service.recognizer.transcribe_scored = lambda strips: 1 / 0
  broken_client = TestClient(broken, raise_server_exceptions=False)
  yield broken_client.post("/v1/predict", **GOOD["JSON"])  # 500: the model failed.
  yield broken_client.get("/ready")  # 503: not ready.
  broken.state.service.work.close()
  yield broken_client.post("/v1/predict", **GOOD["JSON"])  # 503 with Retry-After: shutting down.
  yield client.get("/health")
  yield client.get("/ready")


def test_every_kind_of_answer_validates_against_the_schema(validator):
  statuses = set()
  for r in _answers():
    validator.validate_response(_Request(r.request), _Response(r))
    statuses.add(r.status_code)
  assert {200, 400, 413, 415, 422, 500, 503} <= statuses
