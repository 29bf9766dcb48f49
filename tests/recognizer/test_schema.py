"""The service against its own OpenAPI description: schemathesis generates requests from /openapi.json
(valid and invalid bodies, both content types, unexpected methods) and checks every answer: no 5xx,
each status and body as documented."""

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from nets.recognizer import serve
from tests.recognizer.recognizer_fixtures import tiny_recognizer

app = serve.create_app(recognizer=tiny_recognizer())
schema = schemathesis.openapi.from_asgi("/openapi.json", app)


def test_predict_is_described_with_its_bodies_answer_and_errors():
  spec = app.openapi()
  post = spec["paths"]["/v1/predict"]["post"]
  assert set(post["requestBody"]["content"]) == {"application/json", "multipart/form-data"}
  assert post["requestBody"]["content"]["application/json"]["schema"]["required"] == ["image"]
  assert post["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].endswith("PredictAnswer")
  for status in ("400", "413", "415", "422"):
    assert post["responses"][status]["content"]["application/json"]["schema"]["$ref"].endswith("ErrorAnswer")


@schema.parametrize()
@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
def test_every_generated_request_is_answered_as_documented(case):
  # Every check (not_a_server_error, response_schema_conformance, status_code_conformance,
  # negative_data_rejection, ...) but positive_data_acceptance: a schema cannot say "a string that
  # decodes to an image", so a schema-valid {"image": "L"} is rightly a documented 400.
  case.call_and_validate(excluded_checks=[positive_data_acceptance])
