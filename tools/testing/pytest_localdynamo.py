"""pytest plugin: the `localdynamo` fixture, a LocalDynamo (localdynamo_testing.py) started once
per test session and reset before each test, so every test starts from an empty store.

    # conftest.py
    pytest_plugins = ["pytest_localdynamo"]      # with tools/testing (or the installed
                                                 # share/localdynamo/testing) on sys.path
    def test_put(localdynamo):
        ddb = localdynamo.client()
        ...

Options: --localdynamo-binary PATH (else $LOCALDYNAMO_BINARY, else `localdynamo` on PATH),
--localdynamo-clock EPOCH_MS (the clock starts there for every test; it moves only when the
test advances it), --localdynamo-ids sequential[:SEED] (each test sees the same ids)."""
import pytest

from localdynamo_testing import LocalDynamo


def pytest_addoption(parser):
    group = parser.getgroup("localdynamo")
    group.addoption("--localdynamo-binary", default=None, help="the localdynamo executable")
    group.addoption("--localdynamo-clock", default=None, type=int,
                    help="start the server's clock at this epoch millisecond, before each test")
    group.addoption("--localdynamo-ids", default=None, help="sequential[:SEED]: the same ids every run")


@pytest.fixture(scope="session")
def localdynamo_server(request):
    config = request.config
    with LocalDynamo(binary=config.getoption("--localdynamo-binary"),
                     clock=config.getoption("--localdynamo-clock"),
                     ids=config.getoption("--localdynamo-ids")) as server:
        yield server


@pytest.fixture
def localdynamo(localdynamo_server):
    localdynamo_server.reset()  # the clock and sequential ids start again too
    return localdynamo_server
