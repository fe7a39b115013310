import os

import pytest
import time_machine

from chengguan.cases.testing import T0
from chengguan.grids.testing import make_grids

from ..testing import make_fleet


@pytest.fixture
def frozen():
    with time_machine.travel(T0, tick=False) as traveller:
        yield traveller


@pytest.fixture
def fleet(city, frozen, settings, tmp_path):
    make_grids(city)
    return make_fleet(city)


@pytest.fixture
def live_fleet(city):
    """The fleet without frozen time (the MQTT client's threads keep real time)."""
    make_grids(city)
    return make_fleet(city)


@pytest.fixture(scope="session")
def mosquitto():
    """A private broker on a free port of 127.0.0.1 (CI installs the Debian package `mosquitto`)."""
    import shutil
    import socket
    import subprocess
    import time

    binary = shutil.which("mosquitto") or ("/usr/sbin/mosquitto" if os.path.exists("/usr/sbin/mosquitto") else None)
    if binary is None:
        pytest.skip("mosquitto is not installed (apt-get install mosquitto)")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([binary, "-p", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.05)
    else:
        proc.kill()
        pytest.fail("mosquitto did not start")
    yield port
    proc.terminate()
    proc.wait(5)
