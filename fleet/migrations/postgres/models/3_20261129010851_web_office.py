from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True


async def upgrade(db: BaseDBAsyncClient) -> str:
    return """
        CREATE TABLE IF NOT EXISTS "audit_entry" (
    "id" BIGSERIAL NOT NULL PRIMARY KEY,
    "at" TIMESTAMPTZ NOT NULL,
    "actor" VARCHAR(64) NOT NULL,
    "via" VARCHAR(8) NOT NULL,
    "action" VARCHAR(64) NOT NULL,
    "object_type" VARCHAR(24) NOT NULL,
    "object_id" VARCHAR(100) NOT NULL,
    "address" VARCHAR(64) NOT NULL,
    "result" VARCHAR(16) NOT NULL,
    "status" INT,
    "detail" JSONB NOT NULL
);
CREATE INDEX IF NOT EXISTS "idx_audit_entry_at_c3f19e" ON "audit_entry" ("at");
CREATE INDEX IF NOT EXISTS "idx_audit_entry_actor_51f72e" ON "audit_entry" ("actor");
CREATE INDEX IF NOT EXISTS "idx_audit_entry_action_a20b3a" ON "audit_entry" ("action");
CREATE INDEX IF NOT EXISTS "idx_audit_entry_object__0343a6" ON "audit_entry" ("object_id");
COMMENT ON TABLE "audit_entry" IS 'Who did what, on which object, when, from where, with what result. Rows are only ever';
        CREATE TABLE IF NOT EXISTS "login_failure" (
    "id" BIGSERIAL NOT NULL PRIMARY KEY,
    "name" VARCHAR(64) NOT NULL,
    "address" VARCHAR(64) NOT NULL,
    "at" TIMESTAMPTZ NOT NULL
);
CREATE INDEX IF NOT EXISTS "idx_login_failu_name_3991e7" ON "login_failure" ("name");
CREATE INDEX IF NOT EXISTS "idx_login_failu_address_eea219" ON "login_failure" ("address");
CREATE INDEX IF NOT EXISTS "idx_login_failu_at_ce3ac2" ON "login_failure" ("at");
COMMENT ON TABLE "login_failure" IS 'One wrong password, by account name and address (rate limits count these).';
        CREATE TABLE IF NOT EXISTS "alert_note" (
    "id" BIGSERIAL NOT NULL PRIMARY KEY,
    "at" TIMESTAMPTZ NOT NULL,
    "author" VARCHAR(64) NOT NULL,
    "text" TEXT NOT NULL,
    "alert_id" BIGINT NOT NULL REFERENCES "alert" ("id") ON DELETE CASCADE
);
COMMENT ON TABLE "alert_note" IS 'A comment on an alert.';
        CREATE TABLE IF NOT EXISTS "api_token" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "name" VARCHAR(64) NOT NULL,
    "token_hash" VARCHAR(64) NOT NULL UNIQUE,
    "created_at" TIMESTAMPTZ NOT NULL,
    "last_used_at" TIMESTAMPTZ,
    "revoked_at" TIMESTAMPTZ,
    "user_id" INT NOT NULL REFERENCES "user" ("id") ON DELETE CASCADE,
    CONSTRAINT "uid_api_token_user_id_eec1af" UNIQUE ("user_id", "name")
);
COMMENT ON TABLE "api_token" IS 'A named token for scripts: acts with its user''s grants; only its sha256 is kept.';
        CREATE TABLE IF NOT EXISTS "user_grant" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "role" VARCHAR(24) NOT NULL,
    "scope_kind" VARCHAR(12) NOT NULL,
    "scope_id" VARCHAR(64) NOT NULL,
    "user_id" INT NOT NULL REFERENCES "user" ("id") ON DELETE CASCADE
);
COMMENT ON TABLE "user_grant" IS 'A role over a scope: everything (``\"\"``), an organisation, a region or a station.';
        CREATE TABLE IF NOT EXISTS "login_session" (
    "id" VARCHAR(64) NOT NULL PRIMARY KEY,
    "csrf" VARCHAR(64) NOT NULL,
    "address" VARCHAR(64) NOT NULL,
    "created_at" TIMESTAMPTZ NOT NULL,
    "last_seen_at" TIMESTAMPTZ NOT NULL,
    "expires_at" TIMESTAMPTZ NOT NULL,
    "user_id" INT NOT NULL REFERENCES "user" ("id") ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS "idx_login_sessi_expires_abf88d" ON "login_session" ("expires_at");
COMMENT ON TABLE "login_session" IS 'A browser''s login: the cookie carries a secret whose sha256 is the id.';
        CREATE TABLE IF NOT EXISTS "notify_subscription" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "channel" VARCHAR(8) NOT NULL,
    "address" VARCHAR(300) NOT NULL,
    "min_severity" VARCHAR(8) NOT NULL,
    "scope_kind" VARCHAR(12) NOT NULL,
    "scope_id" VARCHAR(64) NOT NULL,
    "escalation" BOOL NOT NULL,
    "quiet_hours" VARCHAR(11) NOT NULL,
    "timezone" VARCHAR(64) NOT NULL,
    "max_per_hour" INT NOT NULL,
    "active" BOOL NOT NULL,
    "user_id" INT NOT NULL REFERENCES "user" ("id") ON DELETE CASCADE
);
COMMENT ON TABLE "notify_subscription" IS 'A user''s wish to be told, on one channel, of alerts in a scope from a severity up.';
        CREATE TABLE IF NOT EXISTS "notify_delivery" (
    "id" BIGSERIAL NOT NULL PRIMARY KEY,
    "topic" VARCHAR(16) NOT NULL,
    "object_id" VARCHAR(64) NOT NULL,
    "channel" VARCHAR(8) NOT NULL,
    "address" VARCHAR(300) NOT NULL,
    "subject" VARCHAR(200) NOT NULL,
    "body" TEXT NOT NULL,
    "state" VARCHAR(10) NOT NULL,
    "attempts" INT NOT NULL,
    "next_try_at" TIMESTAMPTZ NOT NULL,
    "last_error" VARCHAR(300),
    "log" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ NOT NULL,
    "sent_at" TIMESTAMPTZ,
    "subscription_id" INT REFERENCES "notify_subscription" ("id") ON DELETE SET NULL,
    CONSTRAINT "uid_notify_deli_topic_bb7819" UNIQUE ("topic", "object_id", "subscription_id")
);
CREATE INDEX IF NOT EXISTS "idx_notify_deli_object__95a77d" ON "notify_delivery" ("object_id");
CREATE INDEX IF NOT EXISTS "idx_notify_deli_state_adaa2d" ON "notify_delivery" ("state");
CREATE INDEX IF NOT EXISTS "idx_notify_deli_next_tr_045163" ON "notify_delivery" ("next_try_at");
COMMENT ON TABLE "notify_delivery" IS 'One notification to one address: pending until sent, retried with back-off, failed';
        ALTER TABLE "device" ADD "decommissioned_at" TIMESTAMPTZ;
        ALTER TABLE "alert" ADD "suppressed" INT NOT NULL DEFAULT 0;
        ALTER TABLE "alert" ADD "acknowledged_by" VARCHAR(64);
        ALTER TABLE "alert" ADD "escalated_at" TIMESTAMPTZ;
        ALTER TABLE "alert" ADD "acknowledged_at" TIMESTAMPTZ;
        ALTER TABLE "alert" ADD "resolved_by" VARCHAR(64);
        ALTER TABLE "alert" ADD "open_key" VARCHAR(80);
        ALTER TABLE "user" ADD "allow_cidrs" JSONB NOT NULL DEFAULT '[]'::jsonb;
        ALTER TABLE "user" ADD "disabled" BOOL NOT NULL DEFAULT False;
        ALTER TABLE "user" ADD "password_changed_at" TIMESTAMPTZ;
        ALTER TABLE "user" ADD "password_hash" VARCHAR(200);
        ALTER TABLE "user" ADD "locked_until" TIMESTAMPTZ;
        ALTER TABLE "user" DROP COLUMN "role";
        UPDATE "alert" SET "closed_at" = "opened_at" WHERE "closed_at" IS NULL AND "id" NOT IN (SELECT MAX("id") FROM "alert" WHERE "closed_at" IS NULL GROUP BY "device_id", "rule");
        UPDATE "alert" SET "open_key" = "device_id" || '/' || "rule" WHERE "closed_at" IS NULL;
        ALTER TABLE "alert" ADD CONSTRAINT "uid_alert_open_key" UNIQUE ("open_key");"""


async def downgrade(db: BaseDBAsyncClient) -> str:
    return """
        DROP INDEX IF EXISTS "uid_alert_open_ke_85e63b";
        ALTER TABLE "alert" DROP COLUMN "suppressed";
        ALTER TABLE "alert" DROP COLUMN "acknowledged_by";
        ALTER TABLE "alert" DROP COLUMN "escalated_at";
        ALTER TABLE "alert" DROP COLUMN "acknowledged_at";
        ALTER TABLE "alert" DROP COLUMN "resolved_by";
        ALTER TABLE "alert" DROP COLUMN "open_key";
        ALTER TABLE "device" DROP COLUMN "decommissioned_at";
        ALTER TABLE "user" ADD "role" VARCHAR(16) NOT NULL DEFAULT 'viewer';
        ALTER TABLE "user" DROP COLUMN "allow_cidrs";
        ALTER TABLE "user" DROP COLUMN "disabled";
        ALTER TABLE "user" DROP COLUMN "password_changed_at";
        ALTER TABLE "user" DROP COLUMN "password_hash";
        ALTER TABLE "user" DROP COLUMN "locked_until";
        DROP TABLE IF EXISTS "notify_delivery";
        DROP TABLE IF EXISTS "login_session";
        DROP TABLE IF EXISTS "alert_note";
        DROP TABLE IF EXISTS "api_token";
        DROP TABLE IF EXISTS "login_failure";
        DROP TABLE IF EXISTS "notify_subscription";
        DROP TABLE IF EXISTS "audit_entry";
        DROP TABLE IF EXISTS "user_grant";"""


MODELS_STATE = (
    "eJztXW1z27i1/isYfal3Rs3Esp04bqczduLdTevYbazcbrvpKBQJSbymCC1AWvH25r9fAH"
    "wnAYqkKJpE8CUvJA5IPQCB8/Kcg/+O1siCDnlxh5eGaxPDs5E7ugD/HbnGGtJ/CO+PwcjY"
    "bJK77IJnzB0ugPIt58TDhunRewvDIZBesiAxsb0JnzW6BObKsF2AFoB4XI6AI28FgQddw/"
    "V+eMG6sZBJ+7HdZWUJ37V/8+HMQ0tIb2Eq9+t/6GXbteBXSKL/bh5mCxs6VuZH2xbrgF+f"
    "eU8bfu296/3IG7KXmc9M5PhrN2m8efJWyI1b267Hri6hC7HhQda9h332413fcUKsIjyCN0"
    "2aBK+YkrHgwvAdBiGTDl4guTaazW7vprP76+lsNirAG0mk8AsvmRQ2OjT0VQn/9Uv2Cn+c"
    "HJ++Pj0/eXV6Tpvw14yvvP4WPDoBJhDk8NxOR9/4fcMzghYc4wRU/ncB1rcrA4txjdrnkK"
    "WvnEc2wrG/0K6NrzMHuktvRf97/PJlCZD/c/nx7c+XH49oqx/YIxH9eIIv6za8NQnuffvG"
    "5u/iIQU2uzA3zIetga1Z5k4yDBgu2fdSHImrUPDHv32ETvz55tAPl4OPvJMm4xBdSAYiWR"
    "U6GIlv0SyLroYzgWOJJkgGZvHWerLOXzFcY8l/Ens2e1IWLcGymuAoX1Bx0qbCUrrEyN9k"
    "FkbbJbYFgUGXy9TSLFpUa8kKltdfC4s//7n/0cvud7vsPvPnfqCFd5yatOkpP6s1gwWSu6"
    "fzEEBvYUYXtjYx4EW0f0QY2kv3b/CJg/6evpnhmqIZLdFsBwa2bEOjl7GxjRdZ0WSj/6AI"
    "QC9YEC7v316+ux59q6JDRPvDfkrEvVcV9PAH9R3zgyoREVoCLSIFpFyNIF4tk2xpkEgNuA"
    "BbusFDYMFH24QEbBF+GIOt7a2A7RHgINNwANpAl2IGVsjHRKhc7N1hywadfAsUrsXDtzte"
    "nVbY/V6dSjc/dmvousZoNFxNw7PX8Hfk1kI4LdMhyp+mb7sBuq05nVIvgnVnxtedOlAXBN"
    "Wb1cdVJvWxfE4f58EObNt6anNGppHC3DN14sD6cuI/2FNTruz06Rm+VVXkzMRqrhyHWs1+"
    "uvE73ok6WOe+ehNhi3aztxcy7EchnA5pQrxFa3ovqxnnbpWaEGaqUZWoTtAceAgYoa5/AS"
    "j6PrTGgEDXA+gRYvDhH9PpGBgu2VKbwAJHCAP4dWPTf4sjP+30qo2J/XSB0yoK7qlcvz19"
    "ucuYQJt62peqTstXVZSuV3Kl61Ve6TKwaOH96/3drRjaqH0OXMs2PfB/wLHJwZyUoz8vfN"
    "dk+IG5bzue7ZIX7LF/OZS+WwI1w4f1vCbkNycN8dGHy1/y6L+9ubvikCHiLTHvhXdwlRsK"
    "5hCpZc/FAoea6YUVZRSsrd1YGOcV5vq5dKqf52e6iSEDY2Z4RYzf0TvMOhbjnJXMz/xQ9E"
    "X0jyEuMvQHWneu85QoaDLgp+8/XN9PLz/8PTP9311Or9mdCb/6lLt6lF+Q4k7AP99Pfwbs"
    "v+Dfd7fX+a8kbjf994i9k+F7aOai7cywUtMzuhqhlhn1YJ8nDUY9K6ngqA9klCNMSoeZ6X"
    "oNxjgl1sIA99OsUGJ8LeTCBuObEtPj2+fxRQ8C6x8hBxquRMV/EAzqnEooNY5Xd3c3mSG8"
    "ej/NKTyfPlxdU52fjx1tZAdOqogKkvazEPbWNVT9RGIvZX84aB9Eq4cYI1yEfQq/SlzasU"
    "AjrX44aE+vf5mWox0vUTd3tz9FzfNDkEU78AEJYwhyOyoj1Jkt1ZnT4GRSwZA6mUgtKXar"
    "NKhgxf7pPYMKlR3dPcO7alAhM9HqBhUO6QwOgRf4gpMhkbuCk/Gv4glmkRXicUfs3LCWEC"
    "AMHmxEHgDz5HLOBx144oEHqiy4nCYCRb7fxv1ob28f1pNxibf3wXZrAR21V9Dj27ITbLWt"
    "g2vQWjnqQlsTOIF1UQvWhYa1GqwmxB7tzV1CvMEhnaMqyCJZFTTqLOZvzipg/uZMijm7lS"
    "OWGfUCQlH7fgSE2POUCQgh17FFDL9yx0gs1Mw50kS1jsdmsN4Rph36ZIahQUT0qPIYXEZQ"
    "uWW9fVZliFkDd31aUDt0++zQdQzizQiEgo+pfIwzgnqM+zzGDxBuDMd+hDOBxiCl7OakNG"
    "m3uBvRrVqwNl7ZSymokYRCaL6ZTE5OXk9enrw6Pzt9/frs/GUMa/FWGb5X739iEGc+kyLm"
    "C8fY1JnGcfvu0jRfDmT68iXcg45AdZXbERkhHXBqbjVwIE2qsC5ZAkp9JUskr/fhPu/DfM"
    "RiHn3TIc93oMe8z2O+RdidEdsVxd3KBzsrqUe5z6O8goZDjfAa22gi0Q+HnFIMbU0hluuQ"
    "6lKILcjSjGxCKCSNBl/YgV54+7zwhsUpahKJslIHijYNvWZECZEoVZZkTyZRm+Vk+sgkys"
    "605vnJYQLlnrm3qYTRgW1blVKUPWM5w2jbShb31KiSoDxImOAjZM33Auma9aEqQMy7tYYe"
    "ftoPo2m6G6Vx4uVTnLbg+jnuTEXQnqOOwiCB8jcOMvbd8T7xTlSFyHAg3nclv2R9qATQ4f"
    "nXTDeQUrBDxWEXC3vmhe12MrHvXMjK+0Z1M/5AAKNyjcECYbCg4LN6e1FRvvkTuwlsF9z/"
    "4wYcffkSvNMLJvHlC7AJYO6S8SiH8CGe8dndrmxzxRrZHuRc778Hxh8To1MIPwHLXiwgpp"
    "qE8yQt8PFrirbOMNurMHFZaFax2sSdhGXl1PBwele1yMPmOqlnN9m2v6lTz8iv/T5zp3qx"
    "4Y6HkjwV2KyCjTs2ZuWbNoybVNqvAwwAlwIGAVTph/YjtIr5UTtbt5wFpXfArnbAaBQbBC"
    "Jyot2EoZ7BfapGCAL+Vu8zCwVUOjagYw6g0OYtQdxTjcHaNd4MsjrafNheQUWz/cp+bAMp"
    "gitnjkTtu+eNKES+7K8RNXRTdWg2VB+jxr01oZKQlsCMysS75KZUJrpWzZyKRcAaEkJfLW"
    "0lgaPQfgp+A3iAG25Fsc9eUIy4hf60SdZrvUWbZNok0yaZNsmUxltbDdpq0FaDthoGZTWE"
    "zK4y2yEhf1WwIFK8s92GRPwIYKGtS4z1xqHK/gbiKP7CKAqswwtOe4CGuaI/ZA2xbQamAH"
    "DHYG2zP4yvY0D8ddG4ONAzdtAiWIeaF9GnfVpugvCxqml7RDIKpiOpZHWYyBeVPpN+WHF7"
    "lcyO1ooTsMyJWgXOYgGt4iqp4mp2kWYX9VjJTfj4AvU2Q9aXK7Y406xCjebtCjn0xiNVIO"
    "lrWiDugCuawYHdrMLy/MmDBBhYWKC5WSc7dFLaCRskrZUOQisNR6vGkp9IKLjet3VOYkab"
    "wU3KKOLuctB1sKHhkUc+DnJ81zVd4DlBlayAjp3hJt1KzTqrVyyg4OLVPkMJC8+7lJ/1Lj"
    "7tctATuj2z1v5dVCm6LDYZSqgEZ8frA1kZk7NXdRaIRELBFaL9StFo/r/Q9GYPUJADXnL8"
    "c0ZKufNXJi+rqJG0lRRofi+LdFAVDvIaRXWwzsupd8RC+0o7P6WoCdgFQY32brQ3GGLkOE"
    "3wFogqV9TpcICL7BapNpIVUoi/05qGN6zig51OaHVrD0J3xRzzVl0VKC+n3kZxEC0ohG0m"
    "ObR1J94zpQ5v7QDw/oYFh85809Usn7uaZS+DrwMlGApmcwvA6iqhzxXVDuunCULaSWU1eT"
    "zbT9pUOnA4ijvPIfszSrm54NFn+or2AhJvDHzXsx1WLQM/AXPluw+s5tSKkSdZvDoKY4uP"
    "Im79CToMPji/sA6DV9x523c5RJ9YEWI5ry8to6l9e1D7otWuTigvJaLPzxq2p6fbhURdV4"
    "+/sRqOelZSj3pfRl1A8ymU2u2vA0TzojUvupJtLrcgU1sas3Zaqbn9lvWkEOAHrSudhkxq"
    "a8eI7jK4Z2bcslq1Sh+zDkJTl9WBdkHQEziiHxZ9Y1btmZq3gFlOc4PA0EJmlxKbmtrInE"
    "ouKbpykKcIze/E7cDnkLa+h2F9B4NV3TiJ26vEjGvNOBEXiLiyXQM/SbQVcYkInvYxQEDL"
    "5mdoMcd6J9VIrt7fXn78V2xfx8rnzd3tT1cCC/vqX9Pryxzm4fJbdxnJiKk0mTtYUEqUx2"
    "Qb2FN5VO4QkbzymJmAfQo/BIeTCDSi+NQSuS5kxE0qxB6C41gB9h1W942Bygs0RAdi/AmY"
    "DiKQZ8MFOgpvSWeigYko0rB3f7rGXI8XnTIthg1krQhC2F67B6oQJFhMzvZqUazSMgqCfF"
    "4B43MpxOeFCE1QELMI8BR+lawfKREl8C3zWl7/Mi2Py2T0xqh5PliTS57YwGbnFWcEFXQn"
    "D9d9XIwaBPt9k1BRWlAnAvd4iNnnWDsFKiXTCnOvR/lP51XoA+dy+sB5gT5AbQoKvgOtZa"
    "NPSSCuT3fv8xeVGbB5rQ9LIKoe1bv9RE46eMh5rI12TkwjvRtp+laG05BIkJfVq1ifVzHi"
    "bza0O1KLeZUV0tyrQnijt3yMoSekDI2O0UdCf0tsDBeFobfmZAzuKL9F3oDt/26pGAlgsr"
    "BDhOaO0MPMjdpViD+YaL1mp38il9EiuLworCBrpqMFA40WNDBitbev/yofvbmql5icSCjh"
    "Qz+09eTBr4IvRx6jiNorAW7XAYpgO6u7UaSlNKmlLVJLzGrYUwOPCRQDG4SqGnh69vWK0b"
    "Kxp+gBukLtMrpXrlxubKroRc0q6JbsKRbgIpyEEtwmF4DKEbC1vRVPf/UJxH8gYIkNCvWf"
    "qIrpPPHrQSk8xrtlJyGKtNL2HyCm9VJ5dpOjthen93tRbvf0tsjVVv53De0maq/E9ntw3Y"
    "Z9SLOVQVZ1IM5KKVdMsX2YdfamHPph5vFVyd50DOLN/GZUjLysDrv02QbH8JEuic3O+k1L"
    "6lHu8ygzpVBomsqzLRIJlczSvXS9siyKUOveN4ci7GZg4FbOoEgmVa+sTd+yvWvXw8JDN1"
    "N3x6UWJ2s3g3HDnTbnP1cIWDbLbjC8MQtWbFe2uQJBve8xT3oYgwVG6+B0oXFgI7LWgC4N"
    "dABfgI9oy88aCsxERuEuGJ4Hecpn13bpWHqsKJSLADsoAmwMKhcUbyAAsbM82fASlrchPZ"
    "9Th1/64kwbDzb8oom4TWmDXs3gSySgHiekfbv50RbkFcuxDZt35/kZjToBtuW8GzoFaxa9"
    "TyT0rK18QgnHqAbIOTHlZvGkCtATOdATGdD1iHkZoc6mc0cYH1cqyH1cUpD7uFiQm26HjB"
    "5aa8FIRJSbxwdhwrP3rYFvIqFgmKP9U+VY0WO/ztEjiYA+dkREiPYM2ynCKS+smkh0X1Z1"
    "9OeF73IFBsx92/Go0f2CPfYvh1ouSrBsrdhqwYv2PE6fn1iAfSTw9wQ3xqUFxJgfaxm3q1"
    "K1GzkQoEfIilsQE23gRVA421uxohdHX758Hn0effnyw5gxVhFeGq5NOGeZXgAYLtkU4JUx"
    "wiLowrrdh3hGy06b78VjczBOARvkWtstUrZwRvtaOf9qZg/019WBOCvVodJoOE5HunmVlJ"
    "ljecrMcbFECces5gkuKRmtmu9UzXXMT8f8dMxPpv7doKXt/kg1ex9DkRaYuV+qDDqs5WyR"
    "alqpnOwWI6qVbQxCtghbYzB/AoZpIt/1OFOUn6ES+iLAEZsX1NJYMyJo0IYqY0RWQ7a9rn"
    "XIbqAhu75RT1VykvfTqagUwjrgrEjAuSfOHr6b34fnXst2+/vkXOxdu33qCO0q3p85Rtsg"
    "rYOLX/BapiZCDzb9y8DYhoS5XaCJocfqthOYSvdgbW3hQW1tddvyLi9fBtu03RRk3cu3c5"
    "PgRR2go/YKen2+l/1cIU+EziGRQ694DgmB0G2aQ5KSVXDkBzLSlaiE8OvGpt01qdGWkdT6"
    "e59HWTuUtUNZO5Slh5MRbjkVTyULR6OcTVDVktxATIIwPRVi1dOAT1h0n1lzCwdCYeWBak"
    "I60t+vSP/zunAVNK8TaKPQSO3yAQVB9Wr4TirxcCclPNxJkYdr2YT9dlFICCEHGq6Ee5cS"
    "y5+3RuUOtcnFVzo+b+3u7iajC169z5ed+vTh6vrj0TGHnjayvUw4KGV7IZOlZvOTIWvbXj"
    "lZndndZ6XccBwqYNoWFjiw5KzWnFg/qK3seYOmtmacXqyy1oK+EcQbHKo3ld23Aln1dpo3"
    "ZxU2mjdn0n2G3dKORu1ojJUyc2W4zc48kXSht76+bX014sm5UmH7VghPVR0c2Kcvc6xkPq"
    "Kg3uB+GMWZEyoCFIb894QoTzRQEil/Hne+J1z3qa5UguuQjsh30LFZ2s9I4IyM743LHJIu"
    "8uzFE3OtJo0rcVq5oG3yQQUeAoheC0PlF2ADXYt5HblhCQh0vTHAkALIDvhlNWfYz/8jWi"
    "zGgJFpA6u/wG1t9xGfXWPhQcwLrBqeB9cb+g/M0qN8ViwHg+SAGXD0m29DD6yQjwntNqbN"
    "/hB0zY8nhgaR5039SjeijW3yDTOdyZ3+Xvar2Kr5texeF/zaeCSrmnSxgIKUnPazngdUHm"
    "HAbnBm7LhQ4CAs8UwkIgpO5Lar1QyEWNYZvieVYgsnJbGFk2JsgW6f7Luvg3JKREGUDxLB"
    "mSNLcNal/CiRqL0S+JZ5TQ5xlAhLwK8V+40FuqsKFOrah3LX54sDVdEwykoDFVNMAm2/iL"
    "L8qJaUiD5qMh9ydOlSMPPwUwPva05UswD75nUt0HohxvVqR2al1ItlHUSzcdCyTkw3bK5j"
    "ue3HcnVc8TuMKzL/YYMhT4np+GGfd7K037Uer10gqYvt7aS3k1wwZ0+ae83YUM+wrsp2F0"
    "y1DOudvge4/XRz81y098woCCJO+VHaGXXKz5IqrPjwzLytTVYsJjSH9E/H4qcdsPhQ6LSk"
    "/18Ep0ETYLtRkbzg7AOWJv0Ise09AX8j4tAf4hGacd8vxr32h2t/+PCtxjWvTxGsNHWgzs"
    "t1mNhOtyG3M19iy5Na14zUNSMLKHcDcfsRYfpWRsLJqpGpkxXUuTo1cnU4rWjGaUV1ZnZO"
    "TLnJfXxcZf04lq8fx4UTg+01/J0q63VQTst0CPGn6duhLiGs+w3EfGbWsFHyYt0F2CZDib"
    "Cxo4weBbO3dGFOhDpclCOjcLBrsi51oUtd9MD5t0epi/SRJ5zGbcM9ufhp7rgavtaD0vAv"
    "KeTmaiRwiYZ3xqWHySZtdvk/5TBo/2K//Iv06yFC06rkXMhEREH/1+SsSgowbSVnKp4Vko"
    "DZR1UD4bC5guge5EQ9+kQPirLZ5byUlEj33JTniYWrcVjWt/8HQnaUQQ=="
)
