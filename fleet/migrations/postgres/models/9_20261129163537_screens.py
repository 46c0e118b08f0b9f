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
    "hour" TIMESTAMPTZ NOT NULL,
    "plays" INT NOT NULL,
    "seconds" DOUBLE PRECISION NOT NULL,
    "present" INT NOT NULL,
    "errors" INT NOT NULL,
    "reason" VARCHAR(200) NOT NULL,
    "received_at" TIMESTAMPTZ NOT NULL,
    CONSTRAINT "uid_play_device__45c3c5" UNIQUE ("device_id", "hour", "content", "scenario", "version")
);
CREATE INDEX IF NOT EXISTS "idx_play_station_b36f7b" ON "play" ("station_id");
CREATE INDEX IF NOT EXISTS "idx_play_content_9d972f" ON "play" ("content");
CREATE INDEX IF NOT EXISTS "idx_play_hour_4861a3" ON "play" ("hour");
COMMENT ON TABLE "play" IS 'Proof of play: one kiosk''s tally of one file (in one scenario version) for one clock';
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
        DROP TABLE IF EXISTS "play";
        DROP TABLE IF EXISTS "scenario_version";
        DROP TABLE IF EXISTS "scenario";
        DROP TABLE IF EXISTS "content";
        DROP TABLE IF EXISTS "screen";"""


MODELS_STATE = (
    "eJztXW1z2za2/isYf6kzV83Wdpym7s7OOGnaZtdNuomz3d36jgyJkMQVRaoEZUXd2/9+cc"
    "B3EqAIiaRJBF/yIuKQ0gMQOC/POee/JyvPIg59+s6fY9emOLA99+QK/ffExSvC/iG8PkIn"
    "eL1Or8IHAZ44XMArjpzQwMfTgF2bYYcS9pFF6NS319GzTq7RdIFtF3kzRAMuR9FpsCAoIC"
    "52gydP4TaWN2X3sd15bYmNa/+2IePAmxN2yWdyv/4v+9h2LfKJ0Pi/6+V4ZhPHyv1o24Ib"
    "8M/HwW7NP3vjBt/zgfBlJuOp52xWbjp4vQsWnpuMtt0APp0Tl/g4IHD7wN/Aj3c3jhNhFe"
    "MRftN0SPgVMzIWmeGNAxCCdPgF0s9OxuO3727HH17fjscnJXhjiQx+0UdTBhubGvZVKf/1"
    "c/gKX56fPfv62YuL589esCH8ayaffP1H+OgUmFCQw/P29uQPfh0HOBzBMU5B5X+XYH21wL"
    "4Y13h8AVn2lYvIxjj2F9oV/jR2iDsPFuy/Z199VQHkP67fv/rx+v0pG/UEHumxlyd8s95G"
    "l87Da3/8Aet3tsyADR9M8HS5xb41zl1Jp8Enc3hfyjPxMhL8/m/viZO8vgX0o+3gPb/JIf"
    "MQf5BORLordDATf8SrLP40WgkcS+/ck4FZvrQ6XxU/wS6e858Ez4Yn5dESbKspjvIN1U/H"
    "1NhK5763Wec2RtultkUQZttlZmsWbapKsoLt9dfS5s9/7v+abfez3XYf+XVvaeMdZRZtds"
    "mPlVawQHL/ch4C6A2s6NLRJga8jPb3nk/sufs3suOgv2HfDLtT0YqWaLYDA1t2oLGPfbxN"
    "NlnRYmP/YAiQINwQrj+8uv7u9ckfdXSI+Hw4Ton4ENQFPfpBfce8VSUiRkugRWSAlKsRNF"
    "AyyeaYxmrAFdqyA54gizzYU0LR1vOXI7S1gwWyA4ocb4od5K2JyzBDC2/jU6FycfQNGzbo"
    "5EegcC8evt3x/FmN0+/5M+nhB5eGrmucnAxX0wjsFfndc5UQzsp0iPLH21fdAN3Ums6oF+"
    "G+M+b7jgrUJUH9VvVZnUV9Jl/TZ0WwQ9tWTW3OyRykMPdMnWhZX079B0dqyrWdPj3Dt66K"
    "nFtYhyvHkVZznG78Hb+JPlgX3vqp51vsNkd7IaP7aIRTmybEK2/FruU148KlShNimhlUJ6"
    "oTDkeBh3Ck618hhv6GWCNEiRsg74H46Ke/396OEHbpltkEFjr1fEQ+rW32b3Hkp5m7GmPi"
    "OF3gWR0F95lcv3321T5jwluraV+6Oi2f11G6nsuVrudFpQv7oo33rx/evRVDG48vgGvZ0w"
    "D9H3Js2pqT8uTPs407BfzQZGM7ge3Sp/DYv7Sl71ZADfjAnVeU/uZkIT796fqfRfRf3bx7"
    "ySHzaDD3+V34DV4WpgIcIkr2XCLQ1kov7Sgn4d7ajYXxosZafyFd6i+KK33qEwBjjIMyxt"
    "+xK2Adi3HOSxZXfiT6NP7HEDcZ9gOtd66zSxU0GfC3b356/eH2+qefc8v/u+vb13DlnH+6"
    "K3x6WtyQkpugX97c/ojgv+jf796+Lr4lybjbf5/Ad8KbwBu73naMrczyjD+NUcvNenjO0w"
    "NmPS+p4awPZJZjTCqnGXS9A+Y4I9bABPfTrNBifi3PJQfMb0bMzG+f59dbCqx/z3MIdiUq"
    "/lIwqRMmodU8vnz37iY3hS/f3BYUno8/vXzNdH4+d2yQHTqpYipI1s9C4VsrqPqpxFHK/n"
    "DQbkWrJ77v+WXYb8kniUs7EThIqx8O2rev/3lbjXayRd28e/tDPLw4BXm0Qx+QMIYgt6Ny"
    "Qp3ZUp05DS7OaxhSF+dSSwouVQYVrMQ/fWRQobaju2d41w0q5BaaalChTWdwBLzAF5xOid"
    "wVnM5/HU8wRFZowB2xE2zNCfJ8tLQ9ukTgyeWcDzbxNEBLpiy4nCZCRL7fg+9jvL192E9G"
    "Fd7epe0qAR2P19Dj27ATbLFVwTUcrR11oakFnMI6U4J1ZmCtB+uU+AG7mzsn/tqP6Bx1QR"
    "bJ6qBR5zH/5rIG5t9cSjGHSwViGVYLCMXj+xEQgudpExDyXMcWMfyqHSOJ0GHOkUNU62Ru"
    "BusdAe1wQ8c+wVREj6qOweUEtdvWm2dVRpgd4K7PChqHbp8dug6mwZgSIniZquc4J2jmuM"
    "9zvCRkjR37gYwFGoOUsluQMqTd8mnEjmrB3vjSnktBjSU0QvOb8/OLi6/Pv7p4/uLy2ddf"
    "X774KoG1fKkK35dvfgCIc69JGfOZg9cqyzgZ312a5lcDWb58Cw+II1Bd5XZETsgEnA63Gj"
    "iQU6awziEBRV3JEsmbc7jP5zCfsYRHf+iUF29g5rzPc771fHdMbVcUd6ue7LykmeU+z/KC"
    "YIcZ4QrHaCrRD4ecVgxtQyGW65D6UogtAmlGNqUMkoMmX3gDs/H2eeONilMoEonyUi1Fm4"
    "ZeM6KCSJQpS3Ikk6jJcjJ9ZBLlV9rh+clRAuWRubeZhNGBHVu1UpQDPB/73raRLO5bXCdB"
    "eZAwkQcCw48C6TXcQ1eAwLu1IoG/Ow6j2+xttMaJl09xmoLrx+RmOoL2GHUUBgnUZu14+N"
    "gT7yO/ia4QYYf4x+7k13APXQHarMFMa0Qh+MhvpRNQ7RPVQYmSctUjDWsfXX0cROP2Utbf"
    "uQTqIMcFRr6gCDhvIzTzfDRj4ENhwrh64WQHF5Htog9/v0Gn9/fhd3oKEvf3yKYI/Eqjkw"
    "LCbTzjzt0u7OkCBtkB4aT4n0MrGcTYEvJ3yLJnM+IzlcvZSSuh/Jrh9wNmR1Vwropha1bE"
    "uZP4tZxDHy3vuq6LaLjJftrPSu5vjtkjEpE/zySzXhy4o6FkmYXGveDgTqx++aFNkiG1zu"
    "sQA8SlEKaIWUfEfiBWOZFs7+iG08XMCdjVCRjP4gERm4JoN/G6R/Az6xGrIb+pvWaRgE79"
    "FTomSwqdAxWIB7pRfbvGGyBT0eaj8Roqms2XQIQDpAyunGITj++eYKMRS7W/RtTQTdWh2V"
    "B9DK/31oRKY38CMyoXGJSbUrkwZD1zKhFBK0Ip+2pZKwmdRvZT+BvQkqy5FQWvvaBqcwP3"
    "MyZZr/UWY5IZk8yYZMYk0xpvYzUYq8FYDcZqGJTVEFHgqmyHlCVXw4LIEPT2GxLJI5DlbV"
    "2KV2uHKftr4sfxF6AowA2vOO2B4OmC/ZAV8e1paAogd4RWNvyBP40Q3azKxkVLz9hDi4Ab"
    "Gl5En85puQnC50rR9ohlNMzb0snqmHobUY046YuVjNfJ7GisigOkmChVgksEjIqrpYpr2E"
    "WGXdRjJTdNXBCot7msBrli6+eG1ShmvV14DrvwwBRI9jUtlNyAK5phZ3MoRT3ZBYQi7Asr"
    "WR92kz06KbsJTJLRSgehlUazpbDlpxIa7vdNNZTMaTP+IfUm/e6S9U2w4cDeUBs/TIZeKb"
    "rAC4I6WQEdO8On7CidquxeiYCGm1fzDCVf2BhUuq7j4Tot6ObMWvt3UUntqthkJKETnB3v"
    "D3SBzy+fq2wQqYSGO0TzJbW9yX/INBgviSBZvqJPdk5Ku0Y151/VUSPZKCnQ/Foe6bB8Hu"
    "HFnFSwLsrp14uieaWdt3M6BOySoEF7P9prn/ie4xyCt0BUu+pX7QEusluk2kheSCP+TmMa"
    "3rCqNHa6oPUt0kjcBTjmLVUVqCin30HRihYUwTaWdLfdi/dYqy63HQDe37Dg0JlvpuznY5"
    "f97GXwdaAEQ8FqbgBYU071saLaUaE5QUg7LUEnj2dv0jG1OjPHcecJgT/jlJsrHn1mX9Ge"
    "ERqM0MYNbAeqZfg7NF1s3CXUnFoAeRLi1XEYW9yzufEnmDD44PzCJgxe8+Rt3uUQv2JliO"
    "W8vqyMofYdQe2LdzuVUF5GxDQaG7anp9uNRF9XT1h89ZBZz0uaWe/LrAtoPqWSu/11gBhe"
    "tOFF17LN5RZk5kgDa6eR4uSv4E4aAd5qXeksZFJbO0F0n8E9niYj61Wr3Phwg8jUhTrQLg"
    "rvhE7Zi8W+MVR7ZuYtAstpgimJLGT4KLWpmY3MqeSSoiutPEVofqduB76GjPU9DOs7nKz6"
    "xkkyXidmXGPGibhAxEvbxf5Ooq2IS0TwtI8BAlq1PiOLOdE7mUby8s3b6/f/SuzrRPm8ef"
    "f2h5cCC/vlv25fXxcwj7Zf1W0kJ6bTYu5gQ6lQHtNj4EjlUbtuK0XlMbcA+xR+CLu4CDSi"
    "pL2LXBfCyZAasYewby3yNw7UfQNQeYGGuCHGt2jqeJTwbLhQR+Ej2UrEPhVFGo6+n6kx1+"
    "NNp0qLgYlUiiBE4417oA5BAmJydqBEscrKaAjyixoYv5BC/KIUoQkLYpYBviWfJPtHRkQL"
    "fKu8lq//eVsdl8npjfHwYrCmkDyxJoc1ds4JauhOHq77uBw1CM/7Q0JFWUGTCNzjKYbXUT"
    "kFKiPTCHOvR/lPL+rQB17I6QMvSvQBZlMw8B1izQ96lQTinbxQZtM88I3KTdhE6cUSiOpH"
    "9W4+kZNNnuc8KKNdEDNI70eafSvsHEgkKMqaXazPuxjdrNfsdlSJeZUXMtyrUnijt3yMoS"
    "ekDI2O0UdCf0NsDNc7uss3d5S/9UyLb6WQAwdMFnaI0dwTehi78bga8Yept1pB90/PBVoE"
    "lxeFFWTDTLRgoNGCA4xY4+3rv8rHLi7UEpNTCS186G1bTwH5JHhz5DGKeLwW4HYdoAiPM9"
    "WDIitlSC1NkVoSVsORGnhCoBjYJNTVwLOrr1eMlrV96y2JK9Qu42vVyuXaZopePKyGbglP"
    "sRAX4SSU8DK9QkyOoq0dLHj664YS/wuK5j5mUH/LVExnxz8PS+EB7xY6IYq00uYfIKb1Mn"
    "m4yFE7itP7uSi3R3pb5Gor/1tBu4nHa3H8tq7bwIs0XmC6UIE4L6VdMcXmYTbZm3Loh5nH"
    "Vyd708E0GG8Oo2IUZU3Ypc82uE8e2JZ4WK/frKSZ5T7PMiiFQtNUnm2RSuhklh6l61VlUU"
    "Ra97E5FNFtBgZu7QyKdFH1ytrcWHbw2g18YdPNzNVRpcUJ48YkGbjX5vxl4SHLhuwGHIwg"
    "WLFd2NMFCut9j3jSwwjNfG8VdhcahTYijEZsa2AT+BS997a811BoJgKFu2R4tvKUO9d22V"
    "wGUBTK9RA0ikBrzOTC4g0UedDLE6aXQt6GtD+nCb/0xZk2Gmz4xRBxD6UNBorBl1hAP05I"
    "83bzgy3IK5ZjGw3vzvNzctIJsA3n3bAlqFj0PpUwq7Z2hxKOkQLIBTHtVvF5HaDP5UCfy4"
    "BWI+blhDpbzh1hfFarIPdZRUHus3JBbnYcAj1UacNIRbRbx60w4eH7KuCbSmgY5mi+qxwU"
    "Pd6otB5JBUzbEREhOsC2U4ZTXlg1lei+rOrJn2cblyswaLKxnYAZ3U/hsX9pa7uowLKxYq"
    "slL9rjOH1+gAD7icDfE14YVRYQAz/WPBlXp2q35xDkPRAobkGn3ppchYWzgwUUvTi9v787"
    "uTu5v38yAsaq58+xa1POWWYfIJ/MYQnwyhhREXRh3e42ntGw0+Zz8di0ximASVY6bj1tC2"
    "c0r5Xzt2a8ZL9OBeK8VIdKI3acjnTzOikzZ/KUmbNyiRKOmWIHl4yMUc33quYm5mdifibm"
    "J1P/bry57X7PNPuNT0RaYO56pTLowMjxLDO0VjnZre8xrWyNKd16vjVCkx3C06m3cQPOFO"
    "U9VCJfBDqFdcEsjRUQQcMxTBmjshqyzd3ahOwGGrLrG/VUJyd5P52KWiFsAs6aBJx74uzh"
    "p/mHqO+17LT/kPbF3nfaZ1po1/H+THxvG6Z1cPErXst06nlLm/2Ffd8mFNwuZOqTAOq2U5"
    "JJ94CxtrBRW1O3bfiUl2+DTdpuGrLu5cf5lPozFaDj8Rp6fT6X81wjT4TJIZFDr3kOCSXE"
    "PTSHJCOr4cwPZKZrUQnJp7XNbndIjbacpNHf+zzLxqFsHMrGoSxtTka55VTuShbNRjWboK"
    "4luSY+DcP0TAiqp6ENheg+WHMzhxBh5YF6QibS369I/+O6cDU0r1No49CIcvmAkqB+NXzP"
    "a/Fwzyt4uOdlHq5lU/jtopCQ5zkEuxLuXUas2G+NybV1yCWfdNxv7d27m5wu+PJNsezUx5"
    "9evn5/esahZ4PsIBcOythe3hRSs3lnSGXbqyBrMrv7rJRjx2ECU9vyBQ4sOau1INYPais8"
    "b9DU1pzTCyprzdg3Iv7aj9Sb2u5bgax+J803lzUOmm8upecMXDKORuNoTJSy6QK7h/U8kd"
    "zCHH19O/oU4smFUmHHVgjPVB0c2Ksvc6zkXqKw3uBxGCWZEzoCFIX8j4SoSDTQEqnNJLn5"
    "kXB9yNxKJ7jadER+Rxwb0n5OBM7I5NqoyiHpeoE924FrNR1ci9PKBe0pn1QUeMhjn0Wh8i"
    "u0Jq4FXkduWCJK3GCEfMIAhAa/UHMGfv6X3mw2QkCmDa3+Ere12UfcuXgWEJ8XWMVBQFZr"
    "9g8f0qM2UCzHR2mDGXT628YmAVp4G5+y2ya02SfhrXl7YoKpPG/qV3YQre0pPzCzmdzZ9+"
    "W4iq2GXwvXuuDXJjNZ16RLBDSk5DSf9Tyg8ggDdoODseMSgYOwwjORimi4kJuuVjMQYlln"
    "+F7Uii1cVMQWLsqxBXZ8wnuvgnJGREOUW4ngTDxL0OtS3kokHq8FvlVekzZaiUACvlLsNx"
    "HoripQpGu35a4vFgeqo2FUlQYqp5iE2n4ZZXmrloyIaTVZDDm6bCsYB/7uAO9rQdSwAPvm"
    "dS3Reonvq9WOzEvpF8tqRbNxvLlKTDcabmK5zcdyTVzxM4wrgv/wgCnPiJn4YZ9PsqzfVY"
    "3XLpA0xfb20ttpIZhzJM1dMTbUM6zrst0FSy3HemffA739eHPzWLT33CwIIk7FWdobdSqu"
    "kjqs+Khn3tamC4gJTQj707F4twOID0VOS/b/WdgNmiLbjYvkhb0PIE36gfh2sEObtYhD38"
    "YjDOO+X4x74w83/vDhW40rXp8i3GlUoC7KdZjYzo4htzNfYsOL2tSMNDUjSyh3A3HzEWH2"
    "rXDKyVLI1MkLmlwdhVwdTisac1qRysouiGm3uM/O6uwfZ/L946zUMdhekd+Zsq6CclamQ4"
    "g/3r4a6hYCt18Tn69MBRulKNZdgO18KBE2aGX0IFi9lRtzKtThphwbhYPdk02pC1PqogfO"
    "vyNKXWRbnnAat02O5OJnueN6+FpbpuFDpY2PvB/qiZCKn7k+qnKMWnzkeJMOrUXGD8W4mx"
    "I8lja8TI7DvZU+W0mYkivOe7e8ret4GAYtoRdsWERytYIq0QG0geV3sINRySvaylPu3PAj"
    "goAzgNa+N+eFqm3oR7v2oOcs9DLxAnx/D/1N2BybWtWD5tL7nuN4GzHbu2oW8nItBeB0nY"
    "5CdqSSTRQLmEoze62haItT9FrlpfRjSz2r4/Z+Jvd6Pys5vSHCNmbaCRW6ruRIF+W0c6Nc"
    "1HHDXsjdsBdlN+wAyMls5IZY3SDcfPbTWpTNID0G18JEBsNIPgmzMVVWaiqh3T5wfllnmb"
    "JR8qSQy9JCNbxIOfr68iJDQ/SQWc9Lmlnvy6wL6JKlqg4W+2WOLYqeVM95Vk7DGR/uDJdf"
    "7Jnt2nRx0JtdEDXE5z7Pc+RQVLNJc0L6Zdc3bydF7k91t1ZOTqdgUgeOrYqQU4RrA1Gn9+"
    "mdBjYRdQNP+TUojj2Vd5QGoP0uudGwNpO6wOZ20T6Vr4/XtCBSlVnu8iBV5u2qw9inbFUQ"
    "Kx8iYt/NnhEaIPKJSTs7hGk0LgwXwb9xsPHZDbcL4hP+4WTjWg5BNhWR9lt6irC2U8zljJ"
    "2JppBTbw6FUUXwSZW42z1ltzMVqHlH5gEO+UfxxQ9Yy1xsy+jKU8TD0d1niD+OYdZKLjik"
    "SRywrgtiZm3XiTTZv4vojhVnYyxhrKaD6QBhh1il+F4ioeGqbp4SsCQ7RddLKqEhwM1rHb"
    "GGX4ZYXq4sK6MFyJ2XLIvNJqWdIyukBez5tX1ZKwnusiIL7rKcBheVOWWbggrUeSkNsW6l"
    "6qHrBSLatHwfSQQ0IBB0vYVs1kAQJtZ4orSyC2IaAG/6cZsA/qhx2sYOu8uDJj0naCK7fY"
    "7swlSN1XlvBTHtttDGdINSeLFOAlbIejo6+yqfLjSwfVWagpWLmIcJHUci9T68i04gtRr4"
    "i+ASBf5SJCsCf5lBNQJ/USwOgRixoM8KpI1hFGB/TgIomrXFD4R+y2N1nDmOVni6sF3yBe"
    "WNrG0KGWAJp7wQ8Wvy9nfuKe+O/afoBf5TvD6frncIWw8QyYa8NJN+NgAHZ1/7bD+2vlso"
    "s16vznpVofWSDR2+eipRqlTCRKqOiFTxnU4F90TAwH4k7OM5Xo9VegvkhboLX108/2oo6T"
    "xb9js8pWh3KtGPmujwWG1qotPNlKk/dKyWrFaQ6m6hfzOUZc6bJCiimpPpDtOzoWA6F2as"
    "yjeOeLzZNprfNgaQPexv3O7KkTYf/zZ5r23nvYK2pqjcdbszD2Vj5move8P9w8JRAnETn+"
    "hzfGJBsMNeS4WjOJUwh3Hjh3EczlULuOeltDsxTLzdxNtNmQQz67WOuFIMkzxgZ3PgvBdl"
    "jS7Tn4kuv9+mWsLnMc8mj9/k8fdtIprM469DYRJ2oj2AlHMT3kcTtLvg5QBicmpOhOdeds"
    "44msD9DJ1foBYzRpEcsmwLQT3m7WKHTnl8GEX+lhFa4w0ldITYXrtZEfpkhGaez4k1a/aT"
    "yvn4zd7a8G16vH2PkJxvo64uaWsH6aQmBeSTYGIrqkhH4zWkUbXS1u8Rq6T3Du1eqKEp7/"
    "VYNVQ7wnJJDc2twT6VPfqrN7mR1T1KrlVqWP/xJmOF0ke/LDzkb1wK7YAZtAwGz0XsHiO0"
    "cQPbgZpDLgp5x0/5bWn41xOGLF6ya5Mdb65hR8uq3JWj8SfcuT5bllsCqpoNVZACBJ1gmH"
    "oWjvceiB/e1YaqSmubnSrHqmiPS8rVsCWBXB9beI4lasYkBzuV0PDwbqGpZvhKHOIQzkka"
    "Bbh3CrBCPlibp9j1ek2wIzrDoiuVJxhOx9Sp3BdwV88X7HzhcrzjPTPUH2yy5fY8WOkMVr"
    "aIYdy30KPJ3zExskY2RUuyDoSl+hq6rXEL9FidrjqG1DgIXXMPBnz8QDMh4ipVw8mIaAFx"
    "15UsDOFDvtqHGfqvQ/joH7VZwKHy1mHvtmESm9nx/6Bmq2RlDFVt72GRalgq50VeSgOYuz"
    "4wJmTmiUqnyXmxqcRRvNjh8EZaIcBGu8MhJ3VB1HB4+mab5+cZ7MgDKDwZMRM6aY7BA7A2"
    "ETlJbjSwaajP38kswD7FTV4tyHQJZ8wtWa0dLG5xXh40qvJDTePh4yA7vlaz86i0dug1Sm"
    "6E4ht9i7CLiGUH4CvCyCVb5Htb6CM+wyvb2d3fj9D9fXST+/v/OXtSclG18pSw2TlGM5uX"
    "q0lvuSRkTXnrifiZ7K5bTOORWztYyHtRhI+Dy6YbRe82xlGFEyyduLr2TSqhhaem7T7R0s"
    "r90gUuL9o/aA2gsRROUz6p3fJJlPi8ZRQHSgHnopyGeJ/Xq+pYUdSxCDb7BipGeDTclEsy"
    "Oah9d+yZkIQcer1CEgqchKJJfmzlVd3M8VYTPP7qTV5tfOr5J2LuYXRxtI98OE3H1WAfQk"
    "dDDHRAZlxiMCmdJeX1USfA7GNmpoU83yI+WjBjc+7x8qmn5On8KTdGp469BuEvKFi3Ub+U"
    "Avuw4SfcuZRQ0MDHhJnK5IG4AXI8b8mMYHx86VXDM2zY1JLbtmxrs8WBpSr/QlZKm/o5j+"
    "F+fRw/YXQkiDLYksOiqqlsMqYGM63kRIOcMWAyR6YQOsVoaXt0iaIdBfF8tIh59kTESmvi"
    "loaR1uPXpGrDimZRsVlbXqqzonUDJqjxF2gcvUAqUJcEtbMDm3eA5hqQ1wU6J6QdyC00Lg"
    "3wbKa4aYQC2oHb/HaBXbolvlJh84yI8dUd46sLecFK2Gdl+lHCD56nTQm/FbXLs/G942FZ"
    "o9NwfGEmZiBQYw6GQ1H67t3Hlzev0c/vX7968+FNBHzimuMX4SP2gR0SKt6/vr4pYDvDNt"
    "P+x+ybBfY0zJCpu+oFombxN774+8e4LheTntluOP/DZFyDAa7KuE5ljDqjWWCmU7tTr7iM"
    "qQ2q86wLaMil2qAxJUPVrZeXO8gL3jPFrUsHX7ZEUcjTVJ6AgqBOPLDHZYJnib5HcsGFZO"
    "OBzUldWnhhPYqJ4YKdpwGYP6R3GtaWUxfb/Gabg5Z9BfT2481NvZqZYR2DIykVaf0GTZZy"
    "q5SKeHEKwo2ZdSuPN2Zek3ppB9MNDbwV8b+gcUTwClVFBEe8jMUWOw4i1pwAnT+AfrMz31"
    "sB/eGkgG0rD7lzuSy73dTxpssRL68B3IuwH6434/KciBE1wI3YQX+K3w24Bl1wpQHOX6PY"
    "TPgSxREak4TQmzN5ZOKej275Z18RtZBn14G4zkBuIRSnHlZ+lIDy4Ihe2UqYghBEhX/QE0"
    "Ughu8abB5YXg5b1UGUCOnnEByuK6jsASSuYN/fUw3QFW37Ovj8dJpYa+OHipDA8quIy+bF"
    "DgzPDmhem4jPshdizAnhatZCTqwtX56uZkMmcMWMwLFyBDYv1V0Yds1mvbuevnXU2DO5Gn"
    "tWUmM5bOqNfQti2ulcrVTad8mnYBz4uwOicwXRTooCGQ3ssIN6WIF3E4PdP+0DzogcSLCk"
    "dCYdiU/klX/F7jTA1+QxYxwcMnmcI0Z0b6yD+/LrBTyu4/DDF1F0gAcUIBtqgq05E7BdHk"
    "bwJv8h0wDRwPPJVRhYiKIUULUo7OLlky+hKUgp3tHCM8IaS7CN8P+OoqZjkKaakWPPi4Il"
    "EDeBNFVpPfFfs3GiNDXCRDd6ZKbIoxtDSoAZst/dpMC0FzkKd7/xkijVTMlLaZfBfl7LFj"
    "yvsAXPBdWX7N8F7o1Ksl4kYUhiB3uWfKFPSV6lVexMGjTijZVnM+7oztzRPPI2xoEi1Hkx"
    "A3Vdz78y0FkhA3MdmKfQ2o8INOUKlDMyBuQ6IPtk6vkQm1BKq81LmazmI7II1wQvlbBPBA"
    "zsxyRveht/elBbxLyk4bmYKIuJsjx+lKUnmW69m+U+5Fk9Rv5P3yaigQSgR2668bODdyeC"
    "mA//fFQV7FnHI/YGeX72PW8GOSAgcsUjL3G2SIAdZweX4MMZdAI/td2wGt6UuNi3vbhZxZ"
    "OkTh7PMClFedp4yJ27YGrBKAwJWezzKUFr4qNTfucRCq/CHUfJrUbpvRbeFjrKsicHYSNz"
    "7PvQ5Pxb9u87FwAP23HwrzTZ8QjThx+vvzy/fM7u54GEtwl4X/RknDyAlIsnwDc7CddrEL"
    "HS4i8I/zYtPHq3045MfKkH8aXHSVLqFyGr7UgTJb+panC/GdXtOF5tegzUpnmmIibxrsai"
    "zpyutXeOjIyGG7TptNT/UF6sJ6o4UWIZ4yTrs5MMzCCBB1peFD8eb94TwXtCCXuApRiETW"
    "VM1KpO1GrNlr9QS5Ev2lTCLFvBsiW+74nKGsvz2BIBbRpjNAameqqUxllSrTDjfDIl9qGt"
    "03OiGoZ2hq6cKGTMtOnwfo+DEOVy95jwyqiye0w6RrWYU1QwHkFlpcQ1zQQIcXMe5qvM5f"
    "t7Sn67vwenM7VpWPC8qpZTE8+4c/HU9yjl7mg250Alo9wfHbu92fhRnOPwBIV+bPCZh0+X"
    "ur1ruq4jb48p8NRDj5JxURsXdR8MdeOi1mRDGV5RreFWfjIeauOhHp4Lw8Ghvl13ycbjtd"
    "sRXtRYqy+kS/VFqSKJKM/+wwo7jnSpRiIaFYu/OP/6ebJA4T9Va/PDT9c3N4LYKqYLW9TO"
    "pBrMjJgBNAfobEOcMQ6Y8WhhkTe4GteytIE3rwcsvLUqqLGMgVLgEVbMsUlETPOunLuywW"
    "aCKvpCRkQ7leGylpP+ssJJfzl8J70hEAzOR/8hNjtFxYgyJmlFJaLsqL2e+l8WvNdB3mGO"
    "2KG3pVeIbvwHskM0IGvK6/xgF2GL08xh7xyl1YEC7M9JQEclL33D979z6XRBrI1D+Pg1+5"
    "2+Heyeotd4ukDEsgNks1shl2zR1dTBlF7dx7D9IzQ3779NYgWAb9jCITJF2X/g69IlscLC"
    "RtHn7JY+YTcF336Yv2ChU+xPF/YD+53QKyJm09PAW0P8oJVm9fKtvEk/co+KkDTlpZA77/"
    "nfCkDH4zV0CZ3VOjLPKo7Ms/KRORCv0Fm7GndjLiGT/ymHWt/8T9PfUrdZF6ihpYKgoX5x"
    "0LQXRDspnGwYQe1YG6Wz9NgisXl1eIDvvCz1uN1CsQXYKuyzDLL7zbRxRt/Za67JIRIXVm"
    "067/VzYRQdqa/JzY2BqMO9RzhFdOJZgrKdci90PN4UGzrG2RwZExOliql5Ke1czs1zsYy1"
    "J4d+mHp/rWo/sWagyHTMi2nooGrGG1hV10fKE1Mv7JO51cBAr13ZJ7/g+lTa5wMPM5wIdX"
    "R+ZY9qnoyp0cWhENrAUcEa6PSMHEwDCGe4LrGQHYStFeD/kBuwxdCB2g1G/NPAW/KUgXKi"
    "Q/OPuHMtb+s6HrYommLf38VdHHDAB0bNsLENd0QrbPE21vGNj41s9IUv36M4R1Nsebnhwe"
    "deBfBEQDuwn13UOUYu5MfIRVFPg7dCxQaJxx9lgwzHI9dOmVmG4ZgusMqazsoY82Ov+RGd"
    "KgeYH3lJ437um/u5mFelFAJvvd2oLjxzDtRYfDjsgXcsOSKGj3ELGWscMPUSBUU57aBup4"
    "UPR+2AKuMZOXMg9O1A6An78VVUeU9guMeXRlWWe6ZyX70iBZs1WMHMcg4r2cIzrUI92qto"
    "EBD9eIdDIA1OdgFUpt0ymxTNeZVaqALge9unJfO9ncfcud+BswVGMxPdJysvLpUbyoA9vy"
    "TAq4TPmAQ6vb+PqIvsLby/f8LrGnCbPls++M7lFMiwsoENLSFtx2FfZkdD9wCMIdaxLgCm"
    "g7OfrLRZJxLa2aNNnYiG5PhYZyIHSAHfeLyG+J49r8MhLR5vGQrpc9MzsAclCba2xaazhL"
    "oU8mS8Tpg3V2qU2POFSnG/VMDg2ZuSlMMxOZppVmeRqcqhlghoZ0c37BaKjQFF9kxBTDuU"
    "P3f6TKcGiL7smdTGVZ30vKTxURkfldBHdU18e7o4EbiooiujKg8VTsc0SvY2rO4+srrlp7"
    "mc1q2DF+D88rKOl+XyUu5lgWv54xxeKgWEo+EaottKoq60T46cxiLvk2PY9Fd7qCyPepj9"
    "8f+4AHpp"
)
