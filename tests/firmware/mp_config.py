# Run under MicroPython: config checks and set_config. argv[1]: a JSON file of
# {name: config}; argv[2]: a folder to write configs in. Prints {"name", "error"} lines.
import json
import sys

from crms import config

with open(sys.argv[1]) as f:
    cases = json.load(f)
for name in cases:
    try:
        config.check(cases[name])
        error = None
    except config.ConfigError as e:
        error = str(e)
    print(json.dumps({"name": name, "error": error}))

# set_config: a good change is written (and loaded back), a bad one leaves the file as it was.
path = sys.argv[2] + "/config.json"
with open(path, "w") as f:
    json.dump({"device_id": "badge-0001", "broker": {"host": "h", "port": 1}}, f)
new = config.apply(path, {"tele_interval_s": 3, "rec": {"codec": "pcm16"}})
assert new["tele_interval_s"] == 3 and new["rec"]["codec"] == "pcm16"
assert new["rec"]["max_s"] == config.REC_DEFAULTS["max_s"]  # other rec keys keep defaults
with open(path) as f:
    before = f.read()
for bad, word in (
    ({"rec": {"codec": "mp3"}}, "`rec.codec`"),
    ({"broker": {"host": "x"}}, "cannot be set remotely"),
    ({"rec": {"chunk_size": 100}}, "`rec.chunk_size` must be 256-8192"),
):
    try:
        config.apply(path, bad)
        raise AssertionError("accepted " + repr(bad))
    except config.ConfigError as e:
        assert word in str(e), (word, str(e))
with open(path) as f:
    assert f.read() == before
print("ok set_config")
