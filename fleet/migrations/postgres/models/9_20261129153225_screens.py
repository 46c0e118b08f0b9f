from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True


async def upgrade(db: BaseDBAsyncClient) -> str:
    return """
        CREATE TABLE IF NOT EXISTS "play" (
    "id" BIGSERIAL NOT NULL PRIMARY KEY,
    "device_id" VARCHAR(32) NOT NULL,
    "station_id" VARCHAR(64),
    "seq" BIGINT NOT NULL,
    "content" VARCHAR(64) NOT NULL,
    "scenario" VARCHAR(40) NOT NULL,
    "version" INT NOT NULL,
    "seconds" DOUBLE PRECISION NOT NULL,
    "present" BOOL NOT NULL,
    "session" VARCHAR(40) NOT NULL,
    "ended" VARCHAR(8) NOT NULL,
    "reason" VARCHAR(200) NOT NULL,
    "played_at" TIMESTAMPTZ NOT NULL,
    "received_at" TIMESTAMPTZ NOT NULL,
    CONSTRAINT "uid_play_device__bf8d1b" UNIQUE ("device_id", "seq")
);
CREATE INDEX IF NOT EXISTS "idx_play_station_b36f7b" ON "play" ("station_id");
CREATE INDEX IF NOT EXISTS "idx_play_content_9d972f" ON "play" ("content");
CREATE INDEX IF NOT EXISTS "idx_play_played__fb9390" ON "play" ("played_at");
COMMENT ON TABLE "play" IS 'Proof of play: an ad on a kiosk''s screen, stored once per (kiosk, seq); it names the';
        CREATE TABLE IF NOT EXISTS "scenario" (
    "id" VARCHAR(40) NOT NULL PRIMARY KEY,
    "name" VARCHAR(100) NOT NULL,
    "version" INT NOT NULL,
    "created_at" TIMESTAMPTZ NOT NULL,
    "updated_at" TIMESTAMPTZ NOT NULL,
    "archived_at" TIMESTAMPTZ
);
COMMENT ON TABLE "scenario" IS 'What a kiosk''s screen shows: survey steps and an ad playlist, with its targets,';
        CREATE TABLE IF NOT EXISTS "screen" (
    "device_id" VARCHAR(32) NOT NULL PRIMARY KEY,
    "token" VARCHAR(43) NOT NULL UNIQUE,
    "plan" JSONB,
    "plan_sha" VARCHAR(64) NOT NULL,
    "planned_at" TIMESTAMPTZ,
    "state" VARCHAR(8) NOT NULL,
    "state_plan" VARCHAR(64) NOT NULL,
    "state_reason" VARCHAR(200) NOT NULL,
    "state_at" TIMESTAMPTZ
);
COMMENT ON TABLE "screen" IS 'A kiosk''s screen as the fleet last planned it: the plan it was sent, the token its';
        CREATE TABLE IF NOT EXISTS "content" (
    "sha256" VARCHAR(64) NOT NULL PRIMARY KEY,
    "name" VARCHAR(200) NOT NULL,
    "type" VARCHAR(16) NOT NULL,
    "size" BIGINT NOT NULL,
    "width" INT NOT NULL,
    "height" INT NOT NULL,
    "seconds" DOUBLE PRECISION,
    "codec" VARCHAR(8) NOT NULL,
    "uploaded_by" VARCHAR(64) NOT NULL,
    "created_at" TIMESTAMPTZ NOT NULL,
    "deleted_at" TIMESTAMPTZ
);
CREATE INDEX IF NOT EXISTS "idx_content_created_e8f5b3" ON "content" ("created_at");
COMMENT ON TABLE "content" IS 'One uploaded file, named by its SHA-256: uploading the same bytes twice gives one row.';
        CREATE TABLE IF NOT EXISTS "scenario_version" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "version" INT NOT NULL,
    "body" JSONB NOT NULL,
    "created_by" VARCHAR(64) NOT NULL,
    "created_at" TIMESTAMPTZ NOT NULL,
    "scenario_id" VARCHAR(40) NOT NULL REFERENCES "scenario" ("id") ON DELETE CASCADE,
    CONSTRAINT "uid_scenario_ve_scenari_a84daf" UNIQUE ("scenario_id", "version")
);"""


async def downgrade(db: BaseDBAsyncClient) -> str:
    return """
        DROP TABLE IF EXISTS "screen";
        DROP TABLE IF EXISTS "scenario";
        DROP TABLE IF EXISTS "play";
        DROP TABLE IF EXISTS "scenario_version";
        DROP TABLE IF EXISTS "content";"""


MODELS_STATE = (
    "eJztXW132zaW/is4/lLnrCZT23GaunP2HDt1ZzLjJp3Emc5ss0eGREjiiCJUgrKizva/Ly"
    "74ToIUIZE0ieBLXkRcUnoAAvfluff+52RFLeKw5++8OXZthn2buidX6D8nLl4R/g/p9RE6"
    "wet1chU+8PHEEQI0P3LCfA9PfX5thh1G+EcWYVPPXofPOrlG0wW2XURniPlCjqFTf0GQT1"
    "zs+s+ew20sOuX3sd15bYmNa/+6IWOfzgm/5HG5X/6Xf2y7FvlMWPTf9XI8s4ljZX60bcEN"
    "xOdjf7cWn71x/R/EQPgyk/GUOpuVmwxe7/wFdePRtuvDp3PiEg/7BG7vexv48e7GcUKsIj"
    "yCb5oMCb5iSsYiM7xxAEKQDr5A8tnJePz23f34w+39eHxSgDeSSOEXfjTlsPGp4V+ViV8/"
    "h6/wh/OzF9+8eHXx8sUrPkR8zfiTb34PHp0AEwgKeN7en/wurmMfByMExgmo4u8CrK8X2J"
    "PjGo3PIcu/ch7ZCMf+QrvCn8cOcef+gv/37OuvK4D8x/X713+5fn/KRz2DR1L+8gRv1tvw"
    "0nlw7fffYf3Olimw4YMJni632LPGmSvJNHhkDu9LcSZuQsEf/vaeOPHrm0M/3A7ei5scMg"
    "/RB8lEJLtCBzPxe7TKok/DlSCwpOe0DMzipdX5Kv8JdvFc/CR4Njwpi5ZkW01wLN9QvWRM"
    "ja107tHNOrMx2i6zLYIw3y5TW7NsU1WSlWyvvxQ2f/Fz/9dsu1/stvvEr3tLG+8otWjTS3"
    "6stIIlkvuX8xBAb2BFF442OeBFtH+gHrHn7t/IToD+hn8z7E5lK7pEsx0Y2GUHGv/Yw9t4"
    "k5UtNv4PjgDxgw3h+sPr6+9vT36vo0NE58NxSsQHvy7o4Q/qO+atKhERWhItIgVkuRrBfC"
    "WTbI5ZpAZcoS0/4AmyyKM9JQxtqbccoa3tL5DtM+TQKXYQXROXY4YWdOMxqXJx9A0bNujK"
    "j0DpXjx8u+Plixqn38sXpYcfXBq6rnFyMlxNw7dX5DfqKiGclukQ5Y/3r7sBuqk1nVIvgn"
    "1nLPYdFagLgvqt6rM6i/qsfE2f5cEObFs1tTkjc5DC3DN1omV9OfEfHKkp13b69Azfuipy"
    "ZmEdrhyHWs1xuvH34ib6YJ1766fUs/htjvZChvfRCKc2TYjXdMWvZTXj3KVKE2KaGlQnqh"
    "MMRz5FONT1rxBHf0OsEWLE9RF9JB768e/39yOEXbblNoGFTqmHyOe1zf8tj/w0c1djTByn"
    "C7yoo+C+KNdvX3y9z5igazXtS1en5cs6StfLcqXrZV7pwp5s4/3rh3dv5dBG43PgWvbUR/"
    "+HHJu15qQ8+dNs404BPzTZ2I5vu+w5PPa/29J3K6AGfODOK8Z+ddIQn/54/c88+q/v3t0I"
    "yCjz5564i7jBTW4qwCGiZM/FAm2t9MKOchLsrd1YGK9qrPVXpUv9VX6lTz0CYIyxX8T4e3"
    "4FrGM5zlnJ/MoPRZ9H/xjiJsN/oPXOdXaJglYG/P2bH28/3F//+FNm+X9/fX8LV87Fp7vc"
    "p6f5DSm+Cfr5zf1fEPwX/c+7t7f5tyQed/8/J/Cd8ManY5dux9hKLc/o0wi1zKwH5zw7YN"
    "azkhrO+kBmOcKkcppB1ztgjlNiDUxwP80KLebXoi45YH5TYmZ++zy/dCmx/il1CHZLVPyl"
    "ZFInXEKrebx59+4uM4U3b+5zCs/HH29uuc4v5o4PsgMnVUQFSftZGHxrBVU/kThK2R8O2q"
    "1o9cTzqFeE/Z58LnFpxwIHafXDQfv+9p/31WjHW9Tdu7d/jobnpyCLduADksYQyu2ojFBn"
    "tlRnToOL8xqG1MV5qSUFlyqDClbsnz4yqFDb0d0zvOsGFTILTTWo0KYzOARe4gtOpqTcFZ"
    "zMfx1PMERWmC8csRNszQmiHlralC0ReHIF54NPPPPRkisLrqCJEJnv9+D7GG9vH/aTUYW3"
    "d2m7SkBH4zX0+DbsBFtsVXANRmtHXWhqASewzpRgnRlY68E6JZ7P7+bOibf2QjpHXZBlsj"
    "po1FnMv72sgfm3l6WYw6UcsQyrBYSi8f0ICMHztAkIUdexZQy/asdILHSYc+QQ1Tqem8F6"
    "R0A73LCxRzCT0aOqY3AZQe229eZZlSFmB7jr04LGodtnh66DmT9mhEhepuo5zgiaOe7zHC"
    "8JWWPHfiRjicZQStnNSRnSbvE04ke1ZG+8seeloEYSGqH57fn5xcU3519fvHx1+eKbby5f"
    "fR3DWrxUhe/Nmz8DxJnXpIj5zMFrlWUcj+8uTfPrgSxfsYX7xJGoruV2REbIBJwOtxoEkF"
    "OusM4hAUVdyZLJm3O4z+ewmLGYR3/olOdvYOa8z3O+pZ47ZrYri7tVT3ZW0sxyn2d5QbDD"
    "jXCFYzSR6IdDTiuGtqEQl+uQ+lKILQJpRjZjHJKDJl96A7Px9nnjDYtTKBKJslItRZuGXj"
    "OigkiUKktyJJOoyXIyfWQSZVfa4fnJYQLlkbm3qYTRgR1btVKUfTwfe3TbSBb3Pa6ToDxI"
    "mMgjgeFHgXQL99AVIPBurYjv7Y7D6D59G61xEuVTnKbg+kt8Mx1Be4o6CoMEarN2KD72xP"
    "sobqIrRNgh3rE7+TXcQ1eANmsw0xpRCD6KW+kEVPtEdVCiSrnqoYa1j64+9sNxeynr71wC"
    "dZCjAiNfMQSctxGaUQ/NOPhQmDCqXjjZwUVku+jD3+/Q6cND8J2eg8TDA7IZAr/S6CSHcB"
    "vP+ORuF/Z0AYNsnwhS/E+BlQxifAl5O2TZsxnxuMrl7EorofyS4vcDZkdVcK6KYWtWxLmT"
    "+HU5hz5c3nVdF+Fwk/20n5Xc3xyzJyQif5lJZr04cEdDyTILjHvJwR1b/eWHNomH1DqvAw"
    "yQkEKYIW4dEfuRWMVEsr2jG04XMydgVydgNIsHRGxyot3E657Az6xHrIb8qvaahQI69Vfo"
    "mCwpdQ5UIO7rRvXtGm+ATEWbD8drqGg2XwIRDpAiuOUUm2h89wQbjViq/TWihm6qDs2G6m"
    "N4vbcmVBL7k5hRmcBguSmVCUPWM6diEbQijPGvlraS0GloPwW/AS3JWlhR8NpLqjY3cD9j"
    "kvVabzEmmTHJjElmTDKt8TZWg7EajNVgrIZBWQ0hBa7KdkhYcjUsiBRBb78hET8CWXTrMr"
    "xaO1zZXxMvir8ARQFueCVoDwRPF/yHrIhnTwNTALkjtLLhD/x5hNhmVTQuWnrGHloE3NDw"
    "Ivp0TpebIGKuFG2PSEbDvC2drI4p3chqxJW+WPF4ncyOxqo4QIqJUiW4WMCouFqquIZdZN"
    "hFPVZyk8QFiXqbyWooV2y9zLAaxay3C+rwC49cgeRf00LxDYSiGXQ2h1LUk51PGMKetJL1"
    "YTfZo5Pym8AkGa10EFppOFsKW34ioeF+31RDyYw24x1Sb9LrLlnfBBsO7A218YJk6JWiCz"
    "wnqJMV0LEzfMqP0qnK7hULaLh5Nc9Q8qSNQUvXdTRcpwXdnFlr/yYrqV0VmwwldIKz4/2B"
    "LfD55UuVDSKR0HCHaL6kNp38m0z98ZJIkuUr+mRnpLRrVHP+dR01ko8qBVpcyyIdlM8jop"
    "iTCtZ5Of16UTSvtIt2ToeAXRA0aO9He+0RjzrOIXhLRLWrftUe4DK7pVQbyQppxN9pTMMb"
    "VpXGThe0vkUaibsAx7ylqgLl5fQ7KFrRgkLYxiXdbffiPdaqy20HgPc3LDh05psp+/nUZT"
    "97GXwdKMFQspobANaUU32qqHZYaE4S0k5K0JXHszfJmFqdmaO484TAn1HKzZWIPvOvaM8I"
    "80do4/q2A9UyvB2aLjbuEmpOLYA8CfHqKIwt79nc+BNMGHxwfmETBq958jbvcohesSLE5b"
    "y+tIyh9h1B7Yt2O5VQXkrENBobtqen241EX1dPUHz1kFnPSppZ78usS2g+hZK7/XWAGF60"
    "4UXXss3LLcjUkQbWTiPFyV/DnTQCvNW60mnISm3tGNF9Bvd4Go+sV61y48ENQlMX6kC7KL"
    "gTOuUvFv/GUO2Zm7cILKcJZiS0kOGjxKbmNrKgkpcUXWnlKVLzO3E7iDVkrO9hWN/BZNU3"
    "TuLxOjHjGjNO5AUibmwXe7sSbUVeIkKkfQwQ0Kr1GVrMsd7JNZKbN2+v3/8rtq9j5fPu3d"
    "s/30gs7Jt/3d9e5zAPt1/VbSQjptNi7mBDqVAek2PgSOVRu24reeUxswD7FH4IurhINKK4"
    "vUu5LoTjITViD0HfWuRtHKj7BqCKAg1RQ4zv0NShjIhsuEBHESP5SsQek0Uajr6fqTHX40"
    "2nSouBiVSKIITjjXugDkECYnK2r0SxSstoCPKrGhi/KoX4VSFCExTELAJ8Tz6X7B8pES3w"
    "rfJa3v7zvjouk9Ebo+H5YE0ueWJNDmvsnBHU0J08XPdxMWoQnPeHhIrSgiYRuMdTDK+jcg"
    "pUSqYR5l6P8p9e1aEPvCqnD7wq0Ae4TcHBd4g1P+hVkoh38kKZTfPANyozYROlF0siqh/V"
    "u/lETj551HlURjsnZpDejzT/Vtg5kEiQlzW7WJ93MbZZr/ntmBLzKitkuFeF8EZv+RhDT0"
    "gZGh2jj4T+htgYLj26y7dwlL+lpsW3UshBAFYWdojQ3BN6GLvRuBrxhyldraD7J3WBFiHk"
    "ZWGFsmEmWjDQaMEBRqzx9vVf5eMXF2qJyYmEFj70tq0nn3yWvDnlMYpovBbgdh2gCI4z1Y"
    "MiLWVILU2RWmJWw5EaeEygGNgk1NXA06uvV4yWtX1Pl8SVapfRtWrlcm1zRS8aVkO3hKdY"
    "SIgIEkpwmV0hLsfQ1vYXIv11w4j3FUNzD3Oov+MqprMTnwel8IB3C50QZVpp8w+Q03q5PF"
    "wUqB3F6f1SlNsjvS3laqv4W0G7icZrcfy2rtvAizReYLZQgTgrpV0xxeZhNtmb5dAPM4+v"
    "Tvamg5k/3hxGxcjLmrBLn21wjzzyLfGwXr9pSTPLfZ5lUAqlpml5tkUioZNZepSuV5VFEW"
    "rdx+ZQhLcZGLi1MyiSRdUra3Nj2f6t63vSppupq6NKixPGjUk8cK/N+fOCIsuG7AbsjyBY"
    "sV3Y0wUK6n2PRNLDCM08ugq6C40CGxFGI7418Al8jt7Treg1FJiJQOEuGJ6tPOWTa7t8Ln"
    "0oCuVSBI0i0BpzuaB4A0MUennC9DLI2yjtz2nCL31xpo0GG34xRNxDaYO+YvAlEtCPE9K8"
    "3fxoS/KKy7ENh3fn+Tk56QTYhvNu+BJULHqfSJhVW7tDicBIAeScmHar+LwO0OflQJ+XAa"
    "1GzMsIdbacO8L4rFZB7rOKgtxnxYLc/DgEeqjShpGIaLeOW2HCw/dVwDeR0DDM0XxXOSh6"
    "vFFpPZIImLYjMkK0j22nCGd5YdVEovuyqid/mm1cocCgycZ2fG50P4fH/ndb20UFlo0VWy"
    "140Z7G6fNnCLCfSPw9wYVRZQEx8GPN43F1qnZThyD6SKC4BZvSNbkKCmf7Cyh6cfrw8Onk"
    "08nDw7MRMFapN8euzQRnmX+APDKHJSAqY4RF0KV1u9t4RsNOmy/FY9MapwAmWem4pdoWzm"
    "heKxdvzXjJf50KxFmpDpVG7Dgd6eZ1UmbOylNmzoolSgRmih1cUjJGNd+rmpuYn4n5mZhf"
    "mfp3R+e2+wPX7DcekWmBmeuVyqADI8ez1NBa5WS3HuVa2RoztqWeNUKTHcLTKd24vmCKih"
    "4qoS8CncK64JbGCoigwRiujLGyGrLN3dqE7AYasusb9VQnJ3k/nYpaIWwCzpoEnHvi7BGn"
    "+Yew73XZaf8h6Yu977RPtdCu4/2ZeHQbpHUI8StRy3RK6dLmf2HPswkDtwuZesSHuu2MpN"
    "I9YKwtbdTW1G0bPuXLt8EmbTcNWfflx/mUeTMVoKPxGnp9vpTzXCNPhMkhKYde8xwSRoh7"
    "aA5JSlbDmR/ITNeiEpLPa5vf7pAabRlJo7/3eZaNQ9k4lI1DubQ5GROWU7ErWTgb1WyCup"
    "bkmngsCNNzIaiehjYMovtgzc0cQqSVB+oJmUh/vyL9T+vC1dC8TqCNQiPK5QMKgvrV8D2v"
    "xcM9r+Dhnhd5uJbN4LfLQkKUOgS7Jdy7lFi+3xqXa+uQiz/puN/au3d3GV3w5k2+7NTHH2"
    "9u35+eCej5INvPhINSthedQmq26AypbHvlZE1md5+Vcuw4XGBqW57EgVXOas2J9YPaCs8b"
    "NLU14/SCyloz/o2It/ZC9aa2+1Yiq99J8+1ljYPm28vScwYuGUejcTTGStl0gd3Dep6U3M"
    "IcfX07+hTiyblSYcdWCE9VHRzYq1/mWMm8REG9weMwijMndAQoDPkfCVGeaKAlUptJfPMj"
    "4fqQupVOcLXpiPyeODak/ZxInJHxtVGVQ9Klvj3bgWs1GVyL0yoE7amYVORTRPlnYaj8Cq"
    "2Ja4HXURiWiBHXHyGPcAChwS/UnIGf/wc6m40QkGkDq7/AbW32EZ9cPPOJJwqsYt8nqzX/"
    "hwfpURsoluOhpMEMOv11YxMfLejGY/y2MW32WXBr0Z6YYFaeN/ULP4jW9lQcmOlM7vT7cl"
    "zFVsOvhWtd8Gvjmaxr0sUCGlJyms96HlB5hAG7wcHYcYnEQVjhmUhENFzITVerGQixrDN8"
    "L2rFFi4qYgsXxdgCPz7hvVdBOSWiIcqtRHAm1JL0uixvJRKN1wLfKq9JG61EIAFfKfYbC3"
    "RXFSjUtdty1+eLA9XRMKpKAxVTTAJtv4hyeauWlIhpNZkPObp8Kxj73u4A72tO1LAA++Z1"
    "LdB6ieep1Y7MSukXy2pFs3HoXCWmGw43sdzmY7kmrvgFxhXBf3jAlKfETPywzydZ2u+qxm"
    "uXSJpie3vp7SwXzDmS5q4YG+oZ1nXZ7pKllmG98++B3n68u3sq2ntmFiQRp/ws7Y065VdJ"
    "HVZ82DNva7MFxIQmhP/pWKLbAcSHQqcl//8s6AbNkO1GRfKC3geQJv1IPNvfoc1axqFv4x"
    "GGcd8vxr3xhxt/+PCtxpWoTxHsNCpQ5+U6TGznx5DbmS+x4UVtakaampEFlLuBuPmIMP9W"
    "OOFkKWTqZAVNro5Cro6gFY0FrUhlZefEtFvcZ2d19o+z8v3jrNAx2F6R37iyroJyWqZDiD"
    "/evx7qFgK3XxNPrEwFGyUv1l2A7XwoETZoZfQoWb2VG3Mi1OGmHBmFg92TTakLU+qiB86/"
    "I0pdpFueCBq3TY7k4qe543r4Wlum4UOljY+iH+qJlIqfuj6qcoxaYuR4kwytRcYPxISbEj"
    "yWNrxMjiO8lR5fSZiRK8F7t+jWdSiGQUvoBRsUkVytoEq0D21gxR1sf1TwirbylE9u8BFB"
    "wBlAa4/ORaFqG/rRrin0nIVeJtTHDw/Q34TPsalVPWguvUcdh27kbO+qWcjKtRSA03U6ct"
    "mRSjZRJGAqzey1hsItTtFrlZXSjy31oo7b+0W51/tFwekNEbYx106Y1HVVjnReTjs3ykUd"
    "N+xFuRv2ouiGHQA5mY/cEKsbhJvPflrLshlKj8G1NJHBMJJPgmxMlZWaSGi3D5xf1lmmfF"
    "R5UshlYaEaXmQ5+vryIgND9JBZz0qaWe/LrEvokoWqDhb/ZY4ti55Uz3laTsMZH+4MF1/s"
    "me3abHHQm50TNcTnPs9z6FBUs0kzQvpl1zdvJ4XuT3W3VkZOp2BSB46tipBTiGsDUaf3yZ"
    "0GNhF1A0/ZNSiPPRV3lAag/T6+0bA2k7rAZnbRPpWvj9a0JFKVWu7lQarU21WHsc/4qiBW"
    "NkTEv5s9I8xH5DOXdnYIs3BcEC6Cf2N/4/EbbhfEI+LDyca1HIJsJiPtt/QUaW2niMsZOR"
    "NNIafeHAqjiuCTKnG3e8puZypQ847MAxzyT+KLH7CWudgW0S1PEQ9Gd58h/jSGWSu54JAm"
    "ccC6zomZtV0n0mT/JqM7VpyNkYSxmg6mAwQdYpXie7GEhqu6eUrAkuwUXS+JhIYAN691RB"
    "p+EeLycmVpGS1A7rxkWWQ2Ke0caSEtYM+u7ctaSXCXFVlwl8U0uLDMKd8UVKDOSmmIdStV"
    "D13qy2jT5ftILKABgaDrLWSzBoIwscYTpZWdE9MAeNOP2wTwR43TNnbYXR406RlBE9ntc2"
    "QXpmqsznvLiWm3hTamGxTCi3USsALW09HZV9l0oYHtq6UpWJmIeZDQcSRS74O76ARSq4G/"
    "EC5Z4C9BsiLwlxpUI/AXxuIQiBEL+qxA2hhGPvbmxIeiWVv8SNh3IlYnmONohacL2yVfMd"
    "HI2maQARZzynMRvyZv/8k9Fd2x/xi+wH+M1ufz9Q5h6xEi2ZCXZtLPBuDg7Guf7afWd3Nl"
    "1uvVWa8qtF6woYNXTyVKlUiYSNURkSqx06ngHgsY2I+EfTzH67FKb4GsUHfhq4uXXw8lnW"
    "fLfwdVinYnEv2oiQ6P1aYmOttMufrDxmrJajmp7hb6t0NZ5qJJgiKqGZnuMD0bCqZzacZq"
    "+cYRjTfbRvPbxgCyh72N21050ubj3ybvte28V9DWFJW7bnfmoWzMQu3lb7h3WDhKIm7iE3"
    "2OTywIdvhrqXAUJxLmMG78MI7CuWoB96yUdieGibebeLspk2BmvdYRV4hhkkfsbA6c97ys"
    "0WX6M9HF99tUS/gy5tnk8Zs8/r5NRJN5/HUoTNJOtAeQcu6C+2iCdhe8HECsnJoT4rmXnT"
    "MOJ3A/Q+dnqMWMUSiHLNtCUI95u9ihUxEfRqG/ZYTWeMMIGyG+125WhD0boRn1BLFmzX9S"
    "MR+/2Vsbvk2Pt+8RKufbqKtL2tpBOqlJPvksmdiKKtLheA1pVK209XvCKum9Q7sXamjCez"
    "1WDdWOsFxQQzNrsE9lj/5KJ3dldY/ia5Ua1r/pZKxQ+ujnBUXexmXQDphDy2GgLuL3GKGN"
    "69sO1BxyUcA7fi5uy4K/nnFk8ZJfm+xEcw07XFbFrhyNP+GT6/FluSWgqtlQBclH0AmGq2"
    "fBePpIvOCuNlRVWtv8VDlWRXtaUq6GLQnK9bEFdSxZM6ZysBMJDQ/vFppqBq/EIQ7hjKRR"
    "gHunACvkg7V5il2v1wQ7sjMsvFJ5guFkTJ3Kfb5w9XzFzxchJzrec0P90SZbYc+Dlc5h5Y"
    "sYxn0HPZq8HRcja2QztCRrX1qqr6HbGrdAj9XpqmNIjYPQNfdgwMcPNBMirlI1nJSIFhB3"
    "XcnCED7KV/swQ/91CB/9ozZLOFR0HfRuGyaxmR//j2q2SlrGUNX2HhaJhqVyXmSlNIC56w"
    "NjQmZUVjqtnBebSBzFix0Ob6QVAmy4OxxyUudEDYenb7Z5dp7BjjyAwpMSM6GT5hg8AGsT"
    "kZP4RgObhvr8ndQC7FPc5PWCTJdwxtyT1drB8hbnxUGjKj/UNBo+9tPjazU7D0trB16j+E"
    "YoutF3CLuIWLYPviKMXLJFHt1CH/EZXtnO7uFhhB4ewps8PPzX2bOCi6qVpwTNzjGa2aJc"
    "TXLLJSFrJlpPRM/kd91iFo3c2v6ivBdF8Di4bLpR9G5jHFU4wZKJq2vfJBJaeGra7hNdWr"
    "m/dIGXF+0ftAbQWAqnKZ/UbvkkRjzRMkoApYBzXk5DvM/rVXWsKOqYB5t/AxUjPBxuyiWZ"
    "HNS+O/ZMSKIcer1CEgqchLxJfmzlVd3M8VYTPP5KJ683HqPeiZx7GF4c7SMfTpNxNdiH0N"
    "EQAx2QG5cYTEpnyUR91Akw+7iZaSHqWcRDC25szqkon3pKns+fC2N06thrEP6KgXUb9kvJ"
    "sQ8bfsInlxEGGviYcFOZPBLXRw6lS24E4+NLrxqeYcOmVrlty7c2Wx5YqvIvpKW0qZ/zFO"
    "7Xp/EThkeCLIMtPiyqmsrGY2ow0wpONMgZAyZzaAqhU4yWNmVLFO4oSOSjhcyzZzJWWhO3"
    "NIy0Hr8mVRtWOIuKzdqyUp0VrRswQU28QOPwBVKBuiConR3YvAM004C8LtAZIe1AbqFxqY"
    "9nM8VNIxDQDtzmtwvssi3xlAqbp0SMr+4YX13AC1bCPi3TjxJ+8DxtSvitmF2cjR8cissa"
    "nQbjczMxA4EaczAcitL37z7e3N2in97fvn7z4U0IfOyaExfhI/6BHRAq3t9e3+WwnWGba/"
    "9j/s18expkyNRd9RJRs/gbX/z9Y1wXi0nPbDeY/2EyrsEAV2VcJzJGndEsMNOp3alXXMbU"
    "BtV51iU05EJt0IiSoerWy8od5AXvmeLWpYMvXaIo4GkqT0BOUCce2NMywdNE3yO54FKy8c"
    "DmpC4tPLce5cRwyc7TAMwfkjsNa8upi212s81Ay78Cevvx7q5ezcygjsGRlIqkfoMmS7lV"
    "SkW0OCXhxtS6LY83pl6TemkH0w3z6Yp4X7EoIniFqiKCI1HGYosdBxFrToDO70O/2ZlHV0"
    "B/OMlh28pDPrlClt9u6tDpciTKawD3IuiHS2dCXhAxwga4ITvoj9G7AdegC25pgPOXMDYT"
    "vERRhMYkIfTmTB6ZuOeTW/7pV0Qt5Nl1IK4zkFsIxamHlZ8koDw4ole6EqYkBFHhH6SyCM"
    "TwXYPNAyvKYas6iGIh/RyCw3UFFT2AxJXs+3uqAbqybV8Hn59OE2ttvEARklh+FXHZrNiB"
    "4dkBzWsT8Vn+QowFIVzNWsiIteXL09VsSAWuuBE4Vo7AZqW6C8Ou+ax319O3jhp7Vq7Gnh"
    "XUWAGbemPfnJh2OlcrlfZd8tkf+97ugOhcTrSTokBGAzvsoB5W4N3EYPdP+4AzIgcSLCmc"
    "SUfiE3rlX/M7DfA1ecoYh4CsPM4RIbo31iF8+fUCHtdR+OGrMDogAgqQDTXB1pwL2K4II9"
    "DJv8nUR8ynHrkKAgthlAKqFgVdvDzyB2gKUoh3tPCMoMYSbCPiv6Ow6Rikqabk+PPCYAnE"
    "TSBNtbSe+C/pOFGSGmGiGz0yU8qjG0NKgBmy392kwLQXOQp2v/GSKNVMyUppl8F+XssWPK"
    "+wBc8l1Zfs3yTujUqyXihhSGIHe5Y8qU+pvEqr3Jk0aMQbK89m3NGduaNF5G2MfUWos2IG"
    "6rqef2Wg00IG5jowT6G1H5FoyhUop2QMyHVA9siUehCbUEqrzUqZrOYjsgjXBC+VsI8FDO"
    "zHJG/SjTc9qC1iVtLwXEyUxURZnj7K0pNMt97Nch/yrJ4i/6dvE9FAAtATN934ycG7E0nM"
    "R3w+qgr2rKMRe4M8P3mUziAHBESuoKEFthAkmKAoaYQPJ8QdBbEXuDYlaE08dCoG8M/Jr8"
    "++g3YV8C2ZNKuljYd8cmfQnHyyE8GfD3+5/sP55Us+kMIouvFFy3IR8YFx5bGdjKufP8bE"
    "dfqzw41MXKcHcZ2nSQ7qFxGq7QgPbDyKmtOvRmU6js9KXV/KJa6gVyYiJuGtxqKeEhd7Nl"
    "XaOVIyGm7QpsNR/0NojPAHWIpBnUTGeMHreMHXHmHyTA5KHYLdEk9sIpWDecLF9EL55t27"
    "u4z75+ZNvrPwxx9vbt+fBs0LE7RlK3oYSbGDzdwk/EcpKcixQIfgWtQl3QD8qga+r0rhfV"
    "WsSqiaB6NxCkwrtCfwyxzktM8ImshMnyMzHpkS+9De5xlRDWMzQ59ohZSXNj3W77EfoFxs"
    "/xJcGVW2f0nGqFZjCiu+73UqX6UuPzww8uvDA/iZmc2CiuVVxZiaeMYnF089yphwWvM5By"
    "4YE17rlKd7FCUpPAvd3ZAPETwdLeiWcAMO0ZlPRJNo7Hng6VZwcI9MhaZeuqaMr9v4uvug"
    "9BhftyYbinEAdFe6ybi6jat7eK5uBwf6dt0lG43Xbkdo2GPlyhLlP6yw45Qu1VBEo2rvF+"
    "ffvIwXKPynam1++PH67k4SpMVsYcv6kVSDmRIzgGYAnW2IM8Y+Nx4tLAu/VONalDbwZvWA"
    "BV2rghrJGCglXn/FJJlYxHTfyrgrG+wGqKIvpES0UxkuawViLisCMZfFQMzQnPQmGDM4H/"
    "2HyOyUVRNKmaQVpYTSo/Z66n9eiGYFWYc54ofell0htvEeyQ4xn6yZKNQTcMMhrAh75ygp"
    "7+Njb058Nip46Ru+/yeXTRfE2jhEjF/z3+nZ/u45usXTBSKW7SOb3wq5ZIuupg5m7Oohgu"
    "0fgbn58F0cKwB8A7Z6aIry/8DXZUtiBZWJws/5LT3Cbwq+/SABwUKn2Jsu7Ef+O6HZQ/gM"
    "iDSsIX7QSrf58q28ST9yj6qINOWlKHfei78VgI7Ga+gSOqt1ZJ5VHJlnxSNzIF6hs3Y17s"
    "ZcQiaBsxxqfRM4TYNK3WZdooYWKnoG+sVB054T7aTysWEEtWNtFM7SY6u8ZtXhAb7zZbnD"
    "7VZ6zcFWYZ+lkN1vpo1T+s5ec60cInll1JQpGD3mKFLRl8IoOlJfKzc3BqIO9x7hBNEJtS"
    "R1N8u90NF4Uy3oGGdzaExMlEqeZqW0czk3z8Uy1l459MPU+2uV64k0A0WmY1ZMQwdVM97A"
    "qsI8pTwx9co8qVsNDPTapXmyC65PtXk+iDDDiVRHF1f2qObxmBptGHKhDRyWtYFWzcjBzI"
    "dwhusSC9l+0BsB/g+5AVsMLaRdfyQ+9elSpAwUEx2af8Qn16Jb16HYYmiKPW8XtWHAvhgY"
    "drPGNtwRrbAl+lBHNz42stEXvnyP4hxNseXLDQ8x9yqAxwLagf3ios4xclF+jFxIEjQl2F"
    "aULA3HH2WDDMcj106dWI7hmC2wyppOyxjzY6/5EZ4qhyUepySN+7lv7ud8XpVSCLz1fqG6"
    "8MwFUGP54bAH3nHJETF8jFvIWBOAqZehyMtpB3U7PXgEageUCU/JmQOhbwdCT9iPr8MSfh"
    "LDPbo0qrLcUyUA6xUp2KzBCuaWM5ShHQlCoJWrWnsVDgKin2hRCKTByc6H+rVbbpOiuahl"
    "C1UAPLp9XjDf23nMJ/d7cLbAaG6ie2RFo4K6gQzY80sCvEr4jEug04eHkLrI38KHh2eiro"
    "Gw6dP1fz+5ggIZVDawoaej7Tj8y+xY4B4ISsoc6wLgOjj/yUqbdSyhnT3a1IloSI5PdSYK"
    "gBTwjcZriO/Zyzoc0vzxlqKQvjRN/3pQkmBrW3w6C6iXQh6P1wnzxjgKC2LPFxKNuRTORM"
    "Dg2ZsasMMxOZrpNmeRqcqhFgtoZ0c37BaKjAFF9kxOTDuUv3T6TKcGiL7smcTGVZ30rKTx"
    "URkfldRHdU08e7o4kbiowiujKg8VTsY0SvY2rO4+srrLT/NyWrcOXoDzy8s6XpbLy3IvC1"
    "zLHufwUikgHA7XEN1WEnVLG+6U01jKG+4YNv3VHirLkx5mv/8/Idtj7A=="
)
