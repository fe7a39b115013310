"""The camera's live-view page: only for a camera with a live-view URL (the city's video gateway), within the
reader's area; HLS through the vendored hls.js, the page's CSP opened to the gateway's origin only."""

from ..models import Camera
from ..testing import CAMERA_A, CAMERA_B

GATEWAY = "https://video.kaifeng.example/live/41020200001320000001.m3u8"


def test_a_configured_camera_plays_from_the_gateway_and_others_are_404(client, city, fleet):
    cam_a, cam_b = Camera.objects.get(device_id=CAMERA_A), Camera.objects.get(device_id=CAMERA_B)
    client.force_login(city["officer"])  # district A only
    assert client.get(f"/sensing/cameras/{cam_a.pk}/live/").status_code == 404  # no live-view URL yet
    Camera.objects.filter(pk__in=[cam_a.pk, cam_b.pk]).update(live_url=GATEWAY)
    r = client.get(f"/sensing/cameras/{cam_a.pk}/live/")
    assert r.status_code == 200
    html = r.content.decode()
    assert f'data-src="{GATEWAY}"' in html and "sensing/vendor/hls/hls.light.min.js" in html
    assert "https://" not in html.replace(GATEWAY, "")  # nothing else from outside
    csp = r["Content-Security-Policy"]
    assert "media-src 'self' blob: https://video.kaifeng.example" in csp
    assert "connect-src 'self' https://video.kaifeng.example" in csp
    assert f"/sensing/cameras/{cam_a.pk}/live/" in client.get("/sensing/").content.decode()
    assert client.get(f"/sensing/cameras/{cam_b.pk}/live/").status_code == 404  # district B: not theirs
    for name in ("outsider", "nobody", "department_handler"):
        client.force_login(city[name])
        assert client.get(f"/sensing/cameras/{cam_a.pk}/live/").status_code == 403, name


def test_an_flv_stream_links_the_gateways_player(client, city, fleet):
    cam = Camera.objects.get(device_id=CAMERA_A)
    Camera.objects.filter(pk=cam.pk).update(live_url="https://video.kaifeng.example/live/1.flv")
    client.force_login(city["operator"])
    html = client.get(f"/sensing/cameras/{cam.pk}/live/").content.decode()
    assert "<video" not in html and "hls.light.min.js" not in html and "1.flv" in html
