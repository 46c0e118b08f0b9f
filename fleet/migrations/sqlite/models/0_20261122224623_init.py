from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True


async def upgrade(db: BaseDBAsyncClient) -> str:
    return """
        CREATE TABLE IF NOT EXISTS "organisation" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "name" VARCHAR(100) NOT NULL UNIQUE
) /* A chain of stations (the tenant). */;
CREATE TABLE IF NOT EXISTS "region" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "name" VARCHAR(100) NOT NULL,
    "organisation_id" INT NOT NULL REFERENCES "organisation" ("id") ON DELETE CASCADE,
    CONSTRAINT "uid_region_organis_487e0f" UNIQUE ("organisation_id", "name")
) /* A group of stations inside an organisation. */;
CREATE TABLE IF NOT EXISTS "station" (
    "id" VARCHAR(64) NOT NULL PRIMARY KEY,
    "name" VARCHAR(100) NOT NULL,
    "timezone" VARCHAR(64) NOT NULL,
    "opening_hours" VARCHAR(11) NOT NULL,
    "region_id" INT REFERENCES "region" ("id") ON DELETE CASCADE
) /* A gas station: where devices work, with its local opening hours. */;
CREATE TABLE IF NOT EXISTS "device" (
    "id" VARCHAR(32) NOT NULL PRIMARY KEY,
    "kind" VARCHAR(8) NOT NULL,
    "hw" VARCHAR(32) NOT NULL,
    "fw" VARCHAR(32) NOT NULL,
    "cert_fingerprint" VARCHAR(95),
    "tags" JSON NOT NULL,
    "online" INT NOT NULL,
    "status_reason" VARCHAR(64) NOT NULL,
    "status_at" TIMESTAMP,
    "last_seen" TIMESTAMP,
    "keepalive_s" INT,
    "boot" BIGINT,
    "flaps" INT NOT NULL,
    "last_tele" JSON,
    "last_charging_at" TIMESTAMP,
    "last_recording_at" TIMESTAMP,
    "worn_since" TIMESTAMP,
    "health" JSON NOT NULL,
    "created_at" TIMESTAMP NOT NULL,
    "station_id" VARCHAR(64) REFERENCES "station" ("id") ON DELETE CASCADE
) /* A registered badge or kiosk and its latest known state. */;
CREATE INDEX IF NOT EXISTS "idx_device_online_81dc1e" ON "device" ("online");
CREATE INDEX IF NOT EXISTS "idx_device_station_631979" ON "device" ("station_id");
CREATE TABLE IF NOT EXISTS "alert" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "rule" VARCHAR(32) NOT NULL,
    "severity" VARCHAR(8) NOT NULL,
    "message" TEXT NOT NULL,
    "opened_at" TIMESTAMP NOT NULL,
    "closed_at" TIMESTAMP,
    "device_id" VARCHAR(32) NOT NULL REFERENCES "device" ("id") ON DELETE CASCADE
) /* A health rule firing for a device; closed when the rule clears. */;
CREATE INDEX IF NOT EXISTS "idx_alert_closed__5c1a9e" ON "alert" ("closed_at");
CREATE INDEX IF NOT EXISTS "idx_alert_device__bc22a5" ON "alert" ("device_id");
CREATE TABLE IF NOT EXISTS "command" (
    "id" VARCHAR(40) NOT NULL PRIMARY KEY,
    "op" VARCHAR(16) NOT NULL,
    "args" JSON NOT NULL,
    "state" VARCHAR(8) NOT NULL,
    "created_at" TIMESTAMP NOT NULL,
    "expires_at" TIMESTAMP NOT NULL,
    "sent_at" TIMESTAMP,
    "done_at" TIMESTAMP,
    "ok" INT,
    "result" JSON,
    "error" TEXT,
    "device_id" VARCHAR(32) NOT NULL REFERENCES "device" ("id") ON DELETE CASCADE
) /* A command to a device: queued, sent over MQTT, answered (or expired). */;
CREATE INDEX IF NOT EXISTS "idx_command_state_e1bae1" ON "command" ("state");
CREATE INDEX IF NOT EXISTS "idx_command_device__ff94e6" ON "command" ("device_id");
CREATE TABLE IF NOT EXISTS "device_tag" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "tag" VARCHAR(32) NOT NULL,
    "device_id" VARCHAR(32) NOT NULL REFERENCES "device" ("id") ON DELETE CASCADE,
    CONSTRAINT "uid_device_tag_device__e712bc" UNIQUE ("device_id", "tag")
) /* One of a device's tags, for finding devices by tag in SQL (``Device.tags`` is JSON, */;
CREATE INDEX IF NOT EXISTS "idx_device_tag_tag_64320b" ON "device_tag" ("tag");
CREATE TABLE IF NOT EXISTS "event" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "received_at" TIMESTAMP NOT NULL,
    "seq" BIGINT NOT NULL,
    "ts" BIGINT,
    "type" VARCHAR(16) NOT NULL,
    "data" JSON NOT NULL,
    "device_id" VARCHAR(32) NOT NULL REFERENCES "device" ("id") ON DELETE CASCADE
) /* One device event as received. */;
CREATE INDEX IF NOT EXISTS "idx_event_receive_1cd3a8" ON "event" ("received_at");
CREATE INDEX IF NOT EXISTS "idx_event_device__d296e0" ON "event" ("device_id");
CREATE TABLE IF NOT EXISTS "recording" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "rec_id" VARCHAR(40) NOT NULL,
    "start" TIMESTAMP,
    "duration_ms" BIGINT NOT NULL,
    "codec" VARCHAR(16) NOT NULL,
    "rate" INT NOT NULL,
    "size" BIGINT NOT NULL,
    "sha256" VARCHAR(64) NOT NULL,
    "object_key" VARCHAR(200) NOT NULL UNIQUE,
    "worn_session" VARCHAR(40),
    "kiosk_session" VARCHAR(40),
    "created_at" TIMESTAMP NOT NULL,
    "device_id" VARCHAR(32) NOT NULL REFERENCES "device" ("id") ON DELETE CASCADE,
    "station_id" VARCHAR(64) REFERENCES "station" ("id") ON DELETE CASCADE,
    CONSTRAINT "uid_recording_device__71d3f4" UNIQUE ("device_id", "rec_id")
) /* A whole, verified recording and where its bytes are. */;
CREATE INDEX IF NOT EXISTS "idx_recording_start_28dc71" ON "recording" ("start");
CREATE INDEX IF NOT EXISTS "idx_recording_created_72ab04" ON "recording" ("created_at");
CREATE INDEX IF NOT EXISTS "idx_recording_device__e56321" ON "recording" ("device_id");
CREATE INDEX IF NOT EXISTS "idx_recording_station_ccf2a0" ON "recording" ("station_id");
CREATE TABLE IF NOT EXISTS "telemetry" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "received_at" TIMESTAMP NOT NULL,
    "seq" BIGINT NOT NULL,
    "ts" BIGINT,
    "data" JSON NOT NULL,
    "device_id" VARCHAR(32) NOT NULL REFERENCES "device" ("id") ON DELETE CASCADE
) /* One telemetry message as received (device fields kept as JSON). */;
CREATE INDEX IF NOT EXISTS "idx_telemetry_receive_d05ef8" ON "telemetry" ("received_at");
CREATE INDEX IF NOT EXISTS "idx_telemetry_device__d0eec6" ON "telemetry" ("device_id");
CREATE TABLE IF NOT EXISTS "telemetry_hourly" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "hour" TIMESTAMP NOT NULL,
    "count" INT NOT NULL,
    "stats" JSON NOT NULL,
    "device_id" VARCHAR(32) NOT NULL REFERENCES "device" ("id") ON DELETE CASCADE,
    CONSTRAINT "uid_telemetry_h_device__4c584a" UNIQUE ("device_id", "hour")
) /* Telemetry downsampled per device and hour: for each numeric field n, min, max, sum. */;
CREATE TABLE IF NOT EXISTS "upload" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "rec_id" VARCHAR(40) NOT NULL,
    "manifest" JSON NOT NULL,
    "received" INT NOT NULL,
    "created_at" TIMESTAMP NOT NULL,
    "updated_at" TIMESTAMP NOT NULL,
    "device_id" VARCHAR(32) NOT NULL REFERENCES "device" ("id") ON DELETE CASCADE,
    CONSTRAINT "uid_upload_device__34e24c" UNIQUE ("device_id", "rec_id")
) /* A recording being received: its manifest, until every chunk is held and verified. */;
CREATE TABLE IF NOT EXISTS "upload_chunk" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "index" INT NOT NULL,
    "data" BLOB NOT NULL,
    "upload_id" BIGINT NOT NULL REFERENCES "upload" ("id") ON DELETE CASCADE,
    CONSTRAINT "uid_upload_chun_upload__c4f131" UNIQUE ("upload_id", "index")
) /* One durable chunk of an upload (staged in the database until the recording is whole). */;
CREATE TABLE IF NOT EXISTS "user" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "name" VARCHAR(64) NOT NULL UNIQUE,
    "role" VARCHAR(16) NOT NULL,
    "cert_fingerprint" VARCHAR(95),
    "created_at" TIMESTAMP NOT NULL
) /* A person or service using the fleet (access control comes with the dashboard). */;
CREATE TABLE IF NOT EXISTS "aerich" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "version" VARCHAR(255) NOT NULL,
    "app" VARCHAR(100) NOT NULL,
    "content" JSON NOT NULL
);"""


async def downgrade(db: BaseDBAsyncClient) -> str:
    return """
        """


MODELS_STATE = (
    "eJztXWtz27gV/SsYfal3Rs3Yiu04aaczsuNk3U3s3Vhp99EdBiIhiRVFKABkxbvNfy/ANy"
    "mQIimKphB8yYPEhahzIeDcJ//sLbCFHPps6CDCeq/Anz0XLhD/R/pGH/TgchlfFhcYHDve"
    "SBgNGVNGoCnmmUCHIn7JQtQk9pLZ2BVDh2CGoMNmgKwcBCY2sd0pmGACILDQg22ivwHTwR"
    "RZYD1DLmAz5I80HQQJfSY+xMIm/xQu19B8K9f+vEIGw1PEbxM+62+/88u2a6EviIb/Xc6N"
    "iY0cKwWRbYkJvOsGe1x61y7t6Y3L3nhjxdOODRM7q4Ubj18+shl2IwHb9bCbIhcRyJD4BE"
    "ZWAjt35TgBxiGc/sPGQ/ynTMhYaAJXjtCAkPYfIL7WM4zbu5Fxfz0yjN6GdkKJBMDBJRO7"
    "QrP8UakHwFQ8wl9fDgbPn78YHD8/vzg7ffHi7OL4go/1nnfz1ouv/sPEaPlTeZjdvL25HY"
    "kHwnz5+ItKXPjqyUAGfSlPGTH6QpGb+F/NIJGjH47P4M+/WBb/EO0iBYQXYg3ES74NFSzg"
    "F8NB7pTN+H+fDwrQ/dfww9X3ww9HzwffpSG+De4MvFsC7Bhcih4QsdljFYCTMgqCfFEC44"
    "tciC+yCC8QpXAqWcEj9CVn/0iIKIFvAaCj65+9DWFB6WcnieTR++HPHsiLx+DOu7vbt+Hw"
    "BPJX7+4uM5DjJcfHMiDbBP01R43ZCyQHPiWYgd4KJJ+F/1BMETfvr+9Hw/c/prTxeji6Fn"
    "cGKU2EV4/OMz+DaBLw75vR90D8F/x6d3vtwYkpmxLvE+Nxo1974pngimHDxWsDWklMwsvh"
    "pZSS/fO+hpJTgg0oOTiRC3Tc5pmtkop9amfI6Ff+6ZQS2tf22SoL2wMFEFR3MpfSLR+/Tc"
    "TfYILsqfsDevRwv+HPCF1TdkgFFsXraKLDwvtruKLCq/HnE7iOzIP0QuNfn39pxPzFOby/"
    "Gr6+7nkwj6E5X0NiGSm8xR08wJkr0djNW4vBInsFupwkWMH3EE8dAH+FF/xe2oTJ3OoX2X"
    "lmYlAJSy8YDhiOrLFXgCtyhaw+oMhlAHO+CN7/NBr1AXTpGhFupx1x4w19Wdr839/J7L2G"
    "Zm3Y6svfdprcb57W6EttN6fHJbab0+Pc7UbcKjbv8LIKzP5oJVhxGuiT8xJAn2RP4xhocS"
    "vNgiGZ0k1o/3l/dyuHNhyfpUS2ycD/gGPTDf9FUyD3/j5ZuabAD4xXtsNslz4TH/uPXvsk"
    "SeBTbJBkbY8M8RETZA0SflSySj6MSKA1AtPz99Z9Ib5XE9skSIBRxxZISSpo8fX4F7TuXO"
    "cx0PmBmAfB8iy0DvxzntbQelpSQa0fiJZLGYGC69XQcUKsFRtf67emfi3sohr6TYhp/XZZ"
    "v3guCZ5h7CDo5lD8uUSpYy6hlB4v7+7epVR4eZP1bH98f3nNOb+nOz7IZqmAWSJAhqh46g"
    "pUP5bYiewfDtp7YfWIEEyqxHUigVqs/nDQ3ktQRzuDe9oZrJ3BVZ3BAfASX3CsknxXcKz/"
    "Mp5ggqb84PAcsWNoTRHABMxtTOdAeHJtRoHDFU8ZmHOy4ALPySHz/daeR3t7u7Cf9Au8vX"
    "PbrQR0OF5Bj2/DTrDZugqu/uj2UO2141hsPkFqUgnWiYa1HKwmIozP5k4RWZIgNbIsyDJZ"
    "FRh1GvOXZyUwf3mWi7m4lcacwWoBoXB8NwJC4vOUCQhh17FdCa8udoxEQvWcI3WodaSbg/"
    "WOCHa4ogZBkPLHq7DNbAgqt62fn5bYYs5Pc7cYcUsKdg13fVJQO3S77NB1IGUGRUjyYyrW"
    "cUpQ67jLOp4jtISO/YAMCWPIrXvJSG0vgOm+UoMSmMHJ6YvTi+fnp1HlS3SlqOBl8zTiR7"
    "VkbywqJgolFEKzlYKihAnnwGWVZRyNrwV5rQP/+ECWr7eFMyQryMq3I1JCOuBU32rwgDQ5"
    "YZ3yp6pBsmTy+hzu8jnsaYwgExNrB5VnJ9A677LO15i4BrVdWdytWNlpSa3lLmvZr2evco"
    "zGEt1wyCmVoa1TiPM5pLopxMLrxNGomFSSltpT5OHpgsDNeAULkkoC/DYhr5xVch/PdFCA"
    "l80qSa+0qmkliVIg0blFYgJfBnJvfviAnAhKOdZRg5gD277ysE5v/3614Y4QJaorVQSJwa"
    "lB8HpHkPy0oxGcqgoTekDurj+2azGHqgBF5uiOIH0I51EVKOEzWyBGJN15quA0Sk6jNE7G"
    "DK+I0xRc30eTqQjaaulguOuJ99GbRCWI9p+LK46+3HTc4FzclpFrsGDc1qzcOxcBPIl6KP"
    "yFApHW0/ea5004+KKRnn+LgvGjuAlsF9z/9A4cffrkP9MzIfHpE7ApEKZzv5dBeB+f8R93"
    "PbPNmRhkM+Tl/f7o235CjC8h8ggsezJBhB+UzmNus4ffEinMArPfd8kH1j3/mg3R5acJB8"
    "u7rEUeDNcFHtsTL7tbRvOEuZbfZh1NJw7c/qEU0vgmmeTgjmy1/EMbRUNKndc+BsCTApAC"
    "bjAh+wFZm7UyW0frrrcHegKGWqwRkciIthOS0D0O67a3+FztZxYItJebpMhPLUEuZUZvAe"
    "JMtWzGtvEWkFVh88F4BYlm813exAFSJYsgHN9+DoFCiXjdNaIO3VQ9NBuqi1HjzppQd2QK"
    "XZvC4ItvWFKp+/0igwpnR5bpUzvjmAk/ZRBVp+BIvCeEIRe6TN6DdrtEw/bVt2Jc7ZiQnm"
    "82eX9X2JTD8cq1cjg5LtO5l4/K5xrHx9IduUzCiejgwZ9u1/jutFxyT0fpSLvBpTgaLtlZ"
    "U6Hy/G2VpIaV2FPXM+zwG+J9MPwxLRBN4EVs1nxHRF6/lvEjQxRAIm33Um+SLcEePok4AX"
    "W8p0MmYaG3qyKbjiUUNBOb6rqeyrkkdYqyiX5LStc9iNaK+Fmii4p+rYyg9ijW9nCZ/Cg1"
    "q+xekYCCm1fzPi4i7Z6fu67D4Sot6MYqeKn9h6zvTFHAIZBQCc6W9wc6g4Oz8yobRCyh4A"
    "7RfN8ZPP4vMpkxR5VeZJmWUs4FMCjlAhgUuAAGxxtE0q8xRZRKK3jysc7KqdewrXnS7vU8"
    "rQP2hqBGezvah1UC2uq2om4FqI7kbf609vCWaV1nuy8WpAOmrQRMJau5AWB1/fJThaKD2J"
    "I0VBJGnYriJNGYEkGSKcGrZSqMbLvUtkRVC0gGsmWxkUqy0pBINlTufd2dwiLfSkxE0SB1"
    "p2h8Y2HqlDcgseSlnCN3BUskVXJ77bSiC5hGdo/Z8VjM5gEdGNhlT0fJYqvf4iM8HyS+3Q"
    "opF00Skk5gvteUixAtCYtIAJlPIxJEshSPgDSkAa+CtIiwqnaNybwP1jab+a/HwSZ0AF4i"
    "V2RRiKJ4KiUXO0+oX7jTBRvwsLlGS83u98I0hD/vDyx7k0NBeUNCpkWUP46u2gF6D9Edf9"
    "/xuntIDriCAE9WUL1VfVJmUZ/kr+mTjWC7Z9tWo80pGYUKpfbFl2P/wY5MuXSKbMfwLUuR"
    "UwurPjkOWM1u3Li0F/RAsP761D25DgWnfZoQcW8uiRGRatyVb0ak2oSV6zAQiYAFopQ/Wr"
    "JxADgKWgr43wHM0dJrLCAq4SR1Mg3Mp7sUdDqRSXcp+NZzjHWXAt2lQHG8dSG9LqTvhE9Q"
    "F9J3xfrsbCF9tkVtke0Qd7EtYUEkGuhuNySijwAWXrsULpYOJ/tLRMKWZKJ8U0z4yusEiq"
    "A5419kgYht+qYAcPtgYYs/4Jc+oKvFpnGxp8/YUjwqJtSlo106p/NNEE9XFW2PUEbBt7Wo"
    "ZHWYeCV7M3zuDysar5LZ0VzlF4MymyKf4UYCmuIqSXGfMO3r2+S4nXBnHwzJDd4tIOG28V"
    "sH8intKh5TIrUmbjkyRuLP0Dn5yst+4Y9oTxBlfcDPF9sRrXY5ITVnK3cuGtbPBM0UPDTs"
    "YCLLtdnDJ+gOKArRWN0BZc/lfeFPrAoDSspoErQDCQp3uwpkPimiX8S+0XHkoIpV291I1K"
    "1WXS2tmlpPS2qtd0XrEj/IRm6OtiC1BamsBZk40oS108j76K7ETAoBvtcMtCRkubZ2hOg2"
    "g9swo5HlXnWzImKCwNQVL5FzgT8TOOI/LP7E4lVxouuysJzGkKLAQhaXYpua28heF9Gc9L"
    "S9fIrU/I7dDt4a0tb3YVjfvrLKGyfReB1pKJ1Kc2m7kDxWSqbxOv4eIKBF6zOwmCPeyRnJ"
    "5c3t8MMvkX0dkc93d7dvLyUW9uUvo+thBvNg+626jaTEVFrMLWwoBeQxPgZ2JI/KvWA3Sx"
    "5TC7BT4QfqnembhEhcL2ZC4YgSgYclIhSLVh6AC3kJLSsqqIYgHhMHIQaOoGkiSgFHkhHs"
    "8L8Xoj5XVOb6hIXOxph/W+kbLJqeXr/uQncS6Qq0ey465T+GStCG41ssMX2w0drfalooNG"
    "28q7OJCOOzuVNElsSWJfoU9M+WyKrX4/LlWQnMX57lYi5u6bCB2g7kvLDBBjl9GhY1FJm4"
    "MxmPCu4UMikYj9nGpfL1rDlLtzjLA+ekFfsZJ0QUDGUMzsrs83xUfp/us42dXvyoKiAcDF"
    "cQ3b30fRHWEpJRlvxckoSITiWpmErypIfZ1/8DDATnZw=="
)
