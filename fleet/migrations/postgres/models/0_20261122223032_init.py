from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True


async def upgrade(db: BaseDBAsyncClient) -> str:
    return """
        CREATE TABLE IF NOT EXISTS "organisation" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "name" VARCHAR(100) NOT NULL UNIQUE
);
COMMENT ON TABLE "organisation" IS 'A chain of stations (the tenant).';
CREATE TABLE IF NOT EXISTS "region" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "name" VARCHAR(100) NOT NULL,
    "organisation_id" INT NOT NULL REFERENCES "organisation" ("id") ON DELETE CASCADE,
    CONSTRAINT "uid_region_organis_487e0f" UNIQUE ("organisation_id", "name")
);
COMMENT ON TABLE "region" IS 'A group of stations inside an organisation.';
CREATE TABLE IF NOT EXISTS "station" (
    "id" VARCHAR(64) NOT NULL PRIMARY KEY,
    "name" VARCHAR(100) NOT NULL,
    "timezone" VARCHAR(64) NOT NULL,
    "opening_hours" VARCHAR(11) NOT NULL,
    "region_id" INT REFERENCES "region" ("id") ON DELETE CASCADE
);
COMMENT ON TABLE "station" IS 'A gas station: where devices work, with its local opening hours.';
CREATE TABLE IF NOT EXISTS "device" (
    "id" VARCHAR(32) NOT NULL PRIMARY KEY,
    "kind" VARCHAR(8) NOT NULL,
    "hw" VARCHAR(32) NOT NULL,
    "fw" VARCHAR(32) NOT NULL,
    "cert_fingerprint" VARCHAR(95),
    "tags" JSONB NOT NULL,
    "online" BOOL NOT NULL,
    "status_reason" VARCHAR(64) NOT NULL,
    "status_at" TIMESTAMPTZ,
    "last_seen" TIMESTAMPTZ,
    "keepalive_s" INT,
    "boot" BIGINT,
    "flaps" INT NOT NULL,
    "last_tele" JSONB,
    "last_charging_at" TIMESTAMPTZ,
    "last_recording_at" TIMESTAMPTZ,
    "worn_since" TIMESTAMPTZ,
    "health" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ NOT NULL,
    "station_id" VARCHAR(64) REFERENCES "station" ("id") ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS "idx_device_online_81dc1e" ON "device" ("online");
CREATE INDEX IF NOT EXISTS "idx_device_station_631979" ON "device" ("station_id");
COMMENT ON TABLE "device" IS 'A registered badge or kiosk and its latest known state.';
CREATE TABLE IF NOT EXISTS "alert" (
    "id" BIGSERIAL NOT NULL PRIMARY KEY,
    "rule" VARCHAR(32) NOT NULL,
    "severity" VARCHAR(8) NOT NULL,
    "message" TEXT NOT NULL,
    "opened_at" TIMESTAMPTZ NOT NULL,
    "closed_at" TIMESTAMPTZ,
    "device_id" VARCHAR(32) NOT NULL REFERENCES "device" ("id") ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS "idx_alert_closed__5c1a9e" ON "alert" ("closed_at");
CREATE INDEX IF NOT EXISTS "idx_alert_device__bc22a5" ON "alert" ("device_id");
COMMENT ON TABLE "alert" IS 'A health rule firing for a device; closed when the rule clears.';
CREATE TABLE IF NOT EXISTS "command" (
    "id" VARCHAR(40) NOT NULL PRIMARY KEY,
    "op" VARCHAR(16) NOT NULL,
    "args" JSONB NOT NULL,
    "state" VARCHAR(8) NOT NULL,
    "created_at" TIMESTAMPTZ NOT NULL,
    "expires_at" TIMESTAMPTZ NOT NULL,
    "sent_at" TIMESTAMPTZ,
    "done_at" TIMESTAMPTZ,
    "ok" BOOL,
    "result" JSONB,
    "error" TEXT,
    "device_id" VARCHAR(32) NOT NULL REFERENCES "device" ("id") ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS "idx_command_state_e1bae1" ON "command" ("state");
CREATE INDEX IF NOT EXISTS "idx_command_device__ff94e6" ON "command" ("device_id");
COMMENT ON TABLE "command" IS 'A command to a device: queued, sent over MQTT, answered (or expired).';
CREATE TABLE IF NOT EXISTS "event" (
    "id" BIGSERIAL NOT NULL PRIMARY KEY,
    "received_at" TIMESTAMPTZ NOT NULL,
    "seq" BIGINT NOT NULL,
    "ts" BIGINT,
    "type" VARCHAR(16) NOT NULL,
    "data" JSONB NOT NULL,
    "device_id" VARCHAR(32) NOT NULL REFERENCES "device" ("id") ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS "idx_event_receive_1cd3a8" ON "event" ("received_at");
CREATE INDEX IF NOT EXISTS "idx_event_device__d296e0" ON "event" ("device_id");
COMMENT ON TABLE "event" IS 'One device event as received.';
CREATE TABLE IF NOT EXISTS "recording" (
    "id" BIGSERIAL NOT NULL PRIMARY KEY,
    "rec_id" VARCHAR(40) NOT NULL,
    "start" TIMESTAMPTZ,
    "duration_ms" BIGINT NOT NULL,
    "codec" VARCHAR(16) NOT NULL,
    "rate" INT NOT NULL,
    "size" BIGINT NOT NULL,
    "sha256" VARCHAR(64) NOT NULL,
    "object_key" VARCHAR(200) NOT NULL UNIQUE,
    "worn_session" VARCHAR(40),
    "kiosk_session" VARCHAR(40),
    "created_at" TIMESTAMPTZ NOT NULL,
    "device_id" VARCHAR(32) NOT NULL REFERENCES "device" ("id") ON DELETE CASCADE,
    "station_id" VARCHAR(64) REFERENCES "station" ("id") ON DELETE CASCADE,
    CONSTRAINT "uid_recording_device__71d3f4" UNIQUE ("device_id", "rec_id")
);
CREATE INDEX IF NOT EXISTS "idx_recording_start_28dc71" ON "recording" ("start");
CREATE INDEX IF NOT EXISTS "idx_recording_created_72ab04" ON "recording" ("created_at");
CREATE INDEX IF NOT EXISTS "idx_recording_device__e56321" ON "recording" ("device_id");
CREATE INDEX IF NOT EXISTS "idx_recording_station_ccf2a0" ON "recording" ("station_id");
COMMENT ON TABLE "recording" IS 'A whole, verified recording and where its bytes are.';
CREATE TABLE IF NOT EXISTS "telemetry" (
    "id" BIGSERIAL NOT NULL PRIMARY KEY,
    "received_at" TIMESTAMPTZ NOT NULL,
    "seq" BIGINT NOT NULL,
    "ts" BIGINT,
    "data" JSONB NOT NULL,
    "device_id" VARCHAR(32) NOT NULL REFERENCES "device" ("id") ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS "idx_telemetry_receive_d05ef8" ON "telemetry" ("received_at");
CREATE INDEX IF NOT EXISTS "idx_telemetry_device__d0eec6" ON "telemetry" ("device_id");
COMMENT ON TABLE "telemetry" IS 'One telemetry message as received (device fields kept as JSON).';
CREATE TABLE IF NOT EXISTS "telemetry_hourly" (
    "id" BIGSERIAL NOT NULL PRIMARY KEY,
    "hour" TIMESTAMPTZ NOT NULL,
    "count" INT NOT NULL,
    "stats" JSONB NOT NULL,
    "device_id" VARCHAR(32) NOT NULL REFERENCES "device" ("id") ON DELETE CASCADE,
    CONSTRAINT "uid_telemetry_h_device__4c584a" UNIQUE ("device_id", "hour")
);
COMMENT ON TABLE "telemetry_hourly" IS 'Telemetry downsampled per device and hour: for each numeric field n, min, max, sum.';
CREATE TABLE IF NOT EXISTS "upload" (
    "id" BIGSERIAL NOT NULL PRIMARY KEY,
    "rec_id" VARCHAR(40) NOT NULL,
    "manifest" JSONB NOT NULL,
    "received" INT NOT NULL,
    "created_at" TIMESTAMPTZ NOT NULL,
    "updated_at" TIMESTAMPTZ NOT NULL,
    "device_id" VARCHAR(32) NOT NULL REFERENCES "device" ("id") ON DELETE CASCADE,
    CONSTRAINT "uid_upload_device__34e24c" UNIQUE ("device_id", "rec_id")
);
COMMENT ON TABLE "upload" IS 'A recording being received: its manifest, until every chunk is held and verified.';
CREATE TABLE IF NOT EXISTS "upload_chunk" (
    "id" BIGSERIAL NOT NULL PRIMARY KEY,
    "index" INT NOT NULL,
    "data" BYTEA NOT NULL,
    "upload_id" BIGINT NOT NULL REFERENCES "upload" ("id") ON DELETE CASCADE,
    CONSTRAINT "uid_upload_chun_upload__c4f131" UNIQUE ("upload_id", "index")
);
COMMENT ON TABLE "upload_chunk" IS 'One durable chunk of an upload (staged in the database until the recording is whole).';
CREATE TABLE IF NOT EXISTS "user" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "name" VARCHAR(64) NOT NULL UNIQUE,
    "role" VARCHAR(16) NOT NULL,
    "cert_fingerprint" VARCHAR(95),
    "created_at" TIMESTAMPTZ NOT NULL
);
COMMENT ON TABLE "user" IS 'A person or service using the fleet (access control comes with the dashboard).';
CREATE TABLE IF NOT EXISTS "aerich" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "version" VARCHAR(255) NOT NULL,
    "app" VARCHAR(100) NOT NULL,
    "content" JSONB NOT NULL
);"""


async def downgrade(db: BaseDBAsyncClient) -> str:
    return """
        """


MODELS_STATE = (
    "eJztXftz27gR/lcw+sk342Zs+REn7XRGdpyce4nVJkp7j7nRQCQksaIABSCt+K753wvw/Q"
    "BpkqJoCsEveZBYkPoWWny7i139OVgTE9nsxchG1Bm8Bn8OMFwj/o/0jWMwgJtNfFlccODM"
    "9kbCaMiMORQaYp45tBnil0zEDGptHItgMXQElgjazhJQ10ZgblELL8CcUACBiR4sA/0VGD"
    "ZhyATbJcLAWSJ/pGEjSNkL8RCTGPwpXK6l+VxsfXHR1CELxG9TPutvv/PLFjbRV8TC/25W"
    "07mFbDMFkWWKCbzrU+dx4127thZ32HnrjRVvO5saxHbXOB6/eXSWBEcCFvawWyCMKHSQeI"
    "JDXYEddm07wDiE03/ZeIj/lgkZE82hawsNCGn/BeJrg+n0fjyZfrqdTKeDnHZCiQTAwSWD"
    "YKFZ/qrMA2AhXuEvr4bDs7OXw5Ozy6uL85cvL65OrvhY733zt15+818mRsufysPs7t3d/U"
    "S8EOHLx19U4sI3TwY60JfylBGjLxSZx/9mCakc/XB8Bn/+wbL4h2iXKSC8EGsgXvJdqGAN"
    "v05thBfOkv/3bFiC7r9HH29+HH08Ohv+kIb4Prgz9G4JsGNwGXpA1HIe6wCclFEQ5KsKGF"
    "8VQnyVRXiNGIMLyQqeoK8F9iMhogS+JYBObn/2DMKasS92EsmjD6OfPZDXj8Gd9+P7d+Hw"
    "BPI378fXGcjJhuNjTqGTB/0NR82x1kgOfEowA70ZSL4I/6GYIu4+3H6ajD78M6WNN6PJrb"
    "gzTGkivHp0mfkaRJOA/9xNfgTiv+DX8f2tBydhzoJ6T4zHTX4diHeCrkOmmGyn0ExiEl4O"
    "L6WU7O/3DZScEmxBycGOXKLjLvdslVTsU7upjH4V704poX2Zz05Z2B4ogKC685WUbvn45R"
    "F/SyiyFvgn9OjhfsffEWJDtkkFHsWbaKLDwvtbuKLCq/HzKdxG7kF6ofGPzz80cvzFOfp0"
    "M3pzO/BgnkFjtYXUnKbwFnfIkGSuRGPzt9bDdfYKxJwkmMHnEG8dAH9D1vxe2oXJ3Dou8/"
    "OMxKAKnl4wHDgk8sZeA65IF5nHgCHsAML5Ivjwr8nkGEDMtohyP+2IO2/o68bi//5B5u+1"
    "NGvLXl+x2WnT3jyv05cyN+cnFczN+UmhuRG3yt07sqkDsz9aCVacBvr0sgLQp9ndOAZa3E"
    "qzYEgXLA/tPz6N7+XQhuOzlMgyHPA/YFssF79oC+TB3+YuNgR+YOZatmNh9kI89u+D7kmS"
    "wKfcIcn6HhniIybIOiR8q3RqxTAigc4IzMC3rftCfK8utkGRAKOJL5CSVNDjG/APaI6x/R"
    "jo/EDcg2B5lnoH/j7PGmg9Lamg1g9Ey5WcQMH1Gug4IdaJj6/121C/JsGogX4TYlq/fdYv"
    "WUmSZ4TYCOICir+SKHXGJZTS4/V4/D6lwuu7bGT784frW875Pd3xQZaTSpglEmSIibeuQf"
    "VjiZ3I/uGgvRdWjygltE5eJxJoxOoPB+29JHV0MHigg8E6GFw3GBwAL4kFxyopDgXH+q8S"
    "CaZowTcOLxA7g+YCAULByiJsBUQk13IYsLnimQNWnCxg4AU5ZLHfxvPoaG8f7MlxSbR3Ze"
    "FaQIfjFYz4thwEW27r4OqP7g7VQTeBxfYPSM1rwTrXsFaD1UDU4bPhBaIbGhyNrAqyTFYF"
    "Rp3G/NVFBcxfXRRiLm6lMXdgvYRQOL4fCSHxPGUSQgTbFpbw6vLASCTULDjShFpHujnY6I"
    "hghy6bUgQZf70aZiYnqJxZvzyvYGIuzwtNjLglBbtBuD4pqAO6fQ7o2pA5U4aQ5MtUruOU"
    "oNZxn3W8QmgDbesBTSWMobDuJSP1dAFM/5UalMAMT89fnl+dXZ5HlS/RlbKCl/xuxLdqiW"
    "0sKyYKJRRCs5OCooQLZ8NNnWUcjW8EeaMN/+RAlq9nwh0kK8gq9iNSQjrh1Nxr8IA0OGFd"
    "8LdqQLJk8nof7vM+7GmMIoNQcweVZyfQOu+zzreE4imzsCzvVq7stKTWcp+17Nez19lGY4"
    "l+BOSUOqGtjxAXc0h1jxCLqBNHo+ahkrTUnjIPz5cEbicqWHKoJMAvD3ntUyWf4pkOCvCq"
    "p0rSK63usZJEKZDo3CJxga8Dubc/fUR2BKUc66hBzIGZryKs0+bfrzbcEaJEdaWKIKEHhH"
    "ddRbdiDlUBivysHUH6GM6jKlAiGLRGDpW0namD0yQ5jdI4TZfEpXZbcP0YTaYiaO7GJnBX"
    "U/7Zm0QliPZ5yNS36pIzppG5Lz5iiqIhT54wHWMUtAIAnhSADHCbi6wHZObPkT45WneE63"
    "UCp6QjXKDFBt56RrQbd133/2la+vml3tcsEOgub6fIVy3BOGT7ZgnijmqZ/q7xFpDlEC+O"
    "PYXjFTwP334HFLGB1Imwh+O7j68rlKTWdXr5pa3r9PoSUe1tnd6YLiC2GAw+eM6TSt0/Ln"
    "OoSHZklR5uS44ZIHMQRJwZOBI9tB2EIXbk/dmelmjZv/penKsdD2sVu03e3zWMcjheuTLH"
    "05MqXe34qGKucXIitchVkjGiupW/3a4h4kW1xFdP6Ui38ak4oC6xrKloe7FZpalhFWzqdk"
    "lsfkP0SuevaYJoAq+KecstIvJqmWePDmIAUmkpdLNJJJb3twRH4JOIHfB3He3qj0tYGu2q"
    "yaZjCQXdxLY6kqbOI9AmBUtUdxDvewTRdKl/gmJdM66VEdQRxcYRLoNvpUYd6xUJKGi82o"
    "9xUWln2cJ1HQ5XaUG3Vt3CrD9kNdllCYdAQiU4O7YPbAmHF5d1DEQsoaCFaL8mm8z+iwxn"
    "ukK1fuQpLaVcCGBYKQQwLAkBDE9yRNKvv0CMSU+3FmOdlVOvmUn7pN3rB9YE7JygRvtptA"
    "+rPKJTs6JudYTO5OW/Wnv4BUZdg7IvFqQTpp0kTCWruQVgdW3Pc6Wig9ySNFUSZp3K8iTR"
    "mApJkgUl7iaVRrYws0wEIAbJRLYsN1JLVpoSyabKvY+7U1rke8mJKJqk7hWNby1NnYoGJJ"
    "a8lHMUrmCJpEphr51WdAnTyNqYHbfF7DmgAwO76u4oWWzNy1/D/UES261x5KJNQtILzPd6"
    "5CJES8IiEkAW04gEkazEIyALacDr4FiEz1wZ2BK6OgZby1n6reOJAW0gfulbnKIQdXVMSi"
    "52nlA3o++DD3jYXKOjRrB7YRoinvcHkXU5LilvSMh0iPLnyU03QO8hu+PbHa9AWLLBlf2S"
    "bkZQvVV9WmVRnxav6dNcst3zbevR5pSMQoVS++LLcfxgR6Zc+Yhsz/CtSpFTC6s5OQ5YzW"
    "7cuHIU9ECwfva2HoeC0z5diLi9h8SJSPX+KHYjUp1GqnUYiETAGjHGXy3ZOAAcBS0F/M8A"
    "VmjjNRYQlXCSOpkW5tNdCnp9kEl3KfjezxjrLgW6S4HieOtCel1I34uYoC6k74v32dtC+m"
    "yXuzLfIW6EV8GDSPTge9qRiB4BTLLFDK43Nif7G0TDlmSifFNMyGcgFCBoLPkHWSNqGb4r"
    "APAxWFviD/j1GDB3nXcu9vSMJ4pHxYS6dLRP+3SxC+LpqqbvEcoo2MlcJa/DIK7sV1MLv1"
    "jReJXcjvYqvxwo8ymKGW4koCmukhT3GY99fZ8ctxfh7IMhuUF7Ygm3jRsXF1NaNx5T4WhN"
    "3HJkhsSfYXDytXf6hb+iNUfMOQZ8f7Fs0WqXE1Jj6eIVsBhYCpopeGjYwUR21mYPT9AdUB"
    "SisboDyp7L+8KvWB0GlJTRJGgHEhRauxpkPimif6Q013HkoIpVuzUk6laruhuzodbTklrr"
    "fdG6JA6SO5ujPUjtQSrrQSa2NOHttPKTNjdiJoUA3+sJtCRkhb52hOhTDvfUiEZW+6kbl4"
    "oJAleXzEVdqz8TOOJfLP7GwMJAdF0WntMMMhR4yOJS7FNzH9nrIlpwPG0vT5G633HYwVtD"
    "2vs+DO/bV1Z15yQarzMNlY/SXFsY0sdah2m8jr8HCGjZ+gw85oh3ckZyfXc/+vhL5F9H5P"
    "P9+P7dtcTDvv5lcjvKYB6Y37pmJCWm0mLuwKCUkMd4G9iRPCr3G31Z8phagL1KPzBvT88T"
    "InG9nAmFIyokHjaIMiJaeQAu5B1ocZmgGoJ4zG2EHHAEDQMxBjiSDiU2/3st6nNFZa5PWN"
    "hyRvinlf6CRdvT65+70J1E+gLtnotO+ZehFrTh+A5LTB8stPVNTQeFpq13dTYQdfhseIHo"
    "hlqygz4l/bMlsur1uHx1UQHzVxeFmItbOm2gdgC5KG2QI6fPw6JG4iTuUsajgjulTArGY5"
    "7iUsV61pylX5zlgXPSmv2MEyIKpjKGF1XsPB9V3Kf7ImfpxZeqBsLBcAXR3UvfF+EtIRll"
    "KT5LkhDRR0lqHiV51s3s2/8BKMcJcg=="
)
