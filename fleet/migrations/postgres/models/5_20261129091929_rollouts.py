from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True


async def upgrade(db: BaseDBAsyncClient) -> str:
    return """
        CREATE TABLE IF NOT EXISTS "job_lease" (
    "name" VARCHAR(64) NOT NULL PRIMARY KEY,
    "holder" VARCHAR(64) NOT NULL,
    "expires_at" TIMESTAMPTZ NOT NULL
);
COMMENT ON TABLE "job_lease" IS 'Who runs a singleton job, until when (fleet.leases.lease): taken by one instance,';
        CREATE TABLE IF NOT EXISTS "rollout" (
    "id" BIGSERIAL NOT NULL PRIMARY KEY,
    "name" VARCHAR(100) NOT NULL,
    "target" JSONB NOT NULL,
    "waves" JSONB NOT NULL,
    "wave_gap_s" INT NOT NULL,
    "window" JSONB NOT NULL,
    "success_pct" INT NOT NULL,
    "error_pct" INT NOT NULL,
    "gate" JSONB NOT NULL,
    "state" VARCHAR(16) NOT NULL,
    "reason" VARCHAR(256) NOT NULL,
    "wave" INT NOT NULL,
    "wave_started_at" TIMESTAMPTZ,
    "health" JSONB NOT NULL,
    "created_by" VARCHAR(64) NOT NULL,
    "created_at" TIMESTAMPTZ NOT NULL,
    "updated_at" TIMESTAMPTZ NOT NULL,
    "evaluated_at" TIMESTAMPTZ,
    "finished_at" TIMESTAMPTZ,
    "release_id" BIGINT NOT NULL REFERENCES "release" ("id") ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS "idx_rollout_state_17b8db" ON "rollout" ("state");
COMMENT ON TABLE "rollout" IS 'A release rolled out to a target in waves; its state machine''s persisted state';
        CREATE TABLE IF NOT EXISTS "rollout_log" (
    "id" BIGSERIAL NOT NULL PRIMARY KEY,
    "at" TIMESTAMPTZ NOT NULL,
    "text" VARCHAR(300) NOT NULL,
    "rollout_id" BIGINT NOT NULL REFERENCES "rollout" ("id") ON DELETE CASCADE
);
COMMENT ON TABLE "rollout_log" IS 'What a rollout did and why (waves started, pauses, resumes), for its page.';"""


async def downgrade(db: BaseDBAsyncClient) -> str:
    return """
        DROP TABLE IF EXISTS "rollout_log";
        DROP TABLE IF EXISTS "rollout";
        DROP TABLE IF EXISTS "job_lease";"""


MODELS_STATE = (
    "eJztXWtz27jV/isYfakzo6bxLetkO52xE+9uWiduE+fdbTcdhRIhiTVFcAHSirbNf38B8E"
    "4CFCFRNIngSy4kDkg9AIFzec7Bf0crZEOXPL3FC8tziBU4yBu9BP8dedYK0n8I74/ByPL9"
    "7C67EFhTlwugcsspCbA1C+i9ueUSSC/ZkMyw48fPGl2C2dJyPIDmgARcjoCjYAlBAD3LC5"
    "48Zd3YaEb7cbxFY4nQc34L4SRAC0hvYSr367/pZcez4RdIkv/695O5A1278KMdm3XAr0+C"
    "jc+vvfGCH3hD9jLTyQy54crLGvubYIm8tLXjBezqAnoQWwFk3Qc4ZD/eC103xirBI3rTrE"
    "n0ijkZG86t0GUQMunoBbJro8nk3e3d5MP13WQyqsCbSOTwiy/NKGx0aOirEv7rF+wV/nhy"
    "fPbd2cXp87ML2oS/Znrlu6/RozNgIkEOz7u70Vd+3wqsqAXHOAOV/12B9dXSwmJck/YlZO"
    "krl5FNcOwvtCvry8SF3iJY0v8eP3tWA+T/Xb5/9dPl+yPa6gl7JKIfT/RlvYtvnUT3vn5l"
    "83d+nwObXZhas/u1he1J4U42DBgu2PdSHYmrWPCHv72Hbvr5ltCPl4P3vJNdxiG5kA1Eti"
    "p0MBJfk1mWXI1nAscSnSAZmNVbq5NV+YrlWQv+k9iz2ZOKaAmW1QxH+YKKszYNltIFRqFf"
    "WBgdjzg2BBZdLnNLs2hRVZIVLK+/VhZ//nP/bZbdb3bZfeTP/UAL7zg3afNTfqI0gwWS26"
    "fzEEBvYUZXtjYx4FW0f0AYOgvvb3DDQX9D38zyZqIZLdFsBwa2bEOjl7G1ThdZ0WSj/6AI"
    "wCBaEC4/vLp8fT362kSHSPaH/ZSID0FT0OMf1HfMD6pEJGgJtIgckHI1ggRKJtnCIoka8B"
    "Ks6QYPgQ0fnBkkYI3w/RisnWAJnIAAF80sFyAfehQzsEQhJkLlYu8OWzbo5FugcC0evt3x"
    "/KzB7vf8TLr5sVtD1zVGo+FqGoGzgr8jTwnhvEyHKH+8e9UN0G3N6Zx6Ea07E77uqEBdEd"
    "RvVh83mdTH8jl9XAY7sm3V1OaCzE4Kc8/UiQPry5n/YE9NubHTp2f4NlWRCxNrd+U41mr2"
    "041f8070wbr01c8Qtmk3e3sh4340wumQJsQrtKL3ippx6VatCTHLNWoS1YmagwABK9b1Xw"
    "KKfgjtMSDQCwB6gBi8/cfd3RhYHllTm8AGRwgD+MV36L/FkZ92ejXGxH66wFkTBfdMrt+e"
    "PdtmTCBfTfvS1Wn5vInS9VyudD0vK10WFi28f/1w+04MbdK+BK7tzALwP+A65GBOytGf56"
    "E3Y/iBaei4geORp+yxfzmUvlsDNcOH9bwi5Dc3D/HR28tfyui/urm94pAhEiww74V3cFUa"
    "CuYQUbLnUoFDzfTKijKK1tZuLIyLBnP9QjrVL8ozfYYhA2NiBVWMX9M7zDoW41yULM/8WP"
    "Rp8o8hLjL0B9q3nrvJFDQZ8Hdv3l5/uLt8+/fC9H99eXfN7pzwq5vS1aPygpR2An5+c/cT"
    "YP8F/7p9d13+StJ2d/8asXeywgBNPLSeWHZueiZXE9QKox7t82SHUS9KajjqAxnlBJPaYW"
    "a63g5jnBNrYYD7aVZoMb428uAO45sTM+Pb5/FF9wLrHyEXWp5Exb8XDOqUSmg1jle3tzeF"
    "Ibx6c1dSeD6+vbqmOj8fO9rIiZxUCRUk72ch7K0VVP1MYi9lfzhoH0SrhxgjXIX9Dn6RuL"
    "RTgZ20+uGgfXf9y1092ukSdXP77sekeXkIimhHPiBhDEFuRxWEOrOlOnManJ40MKROT6SW"
    "FLtVG1SwU//0nkGFxo7unuHdNKhQmGiqQYVDOoNj4AW+4GxI5K7gbPybeIJZZIUE3BE7te"
    "wFBAiDeweRe8A8uZzzQQeeBOCeKgsep4lAke93536Mt7cP68m4xtt773hKQCftNfT4tuwE"
    "W65VcI1aa0ddaGsCZ7DOlWCdG1ibwTqDOKC9eQuIfRzTOZqCLJLVQaMuYv7ivAHmL86lmL"
    "NbJWKZpRYQStr3IyDEnqdNQAh5riNi+NU7RlKh3Zwju6jW6dgM1jvCtMOQTDC0iIgeVR+D"
    "Kwhqt6y3z6qMMdvBXZ8XNA7dPjt0XYsEEwKh4GOqH+OCoBnjPo/xPYS+5ToPcCLQGKSU3Z"
    "KUIe1WdyO6VQvWxitnIQU1kdAIzRcnJ6en3508O31+cX723XfnF89SWKu36vC9evMjg7jw"
    "mVQxn7uWrzKN0/bdpWk+G8j05Ut4AF2B6iq3IwpCJuC0u9XAgZxRhXXBElDUlSyRvNmH+7"
    "wP8xFLefS7Dnm5AzPmfR7zNcLehDieKO5WP9hFSTPKfR7lJbRcaoQrbKOZRD8ccloxtA2F"
    "WK5D6kshtiFLM3IIoZDsNPjCDszC2+eFNy5OoUgkKkodKNo09JoRNUSiXFmSPZlEbZaT6S"
    "OTqDjTds9PjhMo98y9zSWMDmzbapSiHFiLCUbrVrK476wmCcqDhAk+QNZ8L5CuWR+6AsS8"
    "WysY4M1+GN3lu9EaJ14+xW0Lrp/SznQE7THqKAwSqNB3kbXvjveRd6IrRJYL8b4r+SXrQ1"
    "eAQp+Zaa0oBB95VzoBdXiiOlOipFz1WMPaRlefBHG7rZT1Ww+yOshJgZE/EMA4b2MwRxjM"
    "KfisMGFSvXC6YTeB44EP/7gBR58/R+/0lEl8/gwcAphfaTwqIXyIZ3zy1ktntmSNnAByUv"
    "zfIyuZidEphDfAduZziKnK5W6klVB+zfH7GWZ7VXCui2FrVsS5k/i1nEMfT++mrou4ucl+"
    "2s5K7m+O2SMSkb/NJLNebLjjoWSZRca9YONOrX75pg3TJo326wgDwKWARQC1jqDzAO1qIt"
    "nW1i2ni5kdsKsdMBnFHSI2JdFu4nWP4GfWI1YDf1P7zGIBnc5X6JgsKXQO1CAe6Eb17Rpv"
    "BpmKNh+311DRbL8EIttAquDKKTZJ++4JNhqxVPtrRA3dVB2aDdXH8HpvTags9icwowqBQb"
    "kpVQhDNjOnUhGwgoTQV8tbSeAotp+i3wDuoc+tKPbZC6o2t9CfMcl6rbcYk8yYZMYkMyaZ"
    "1ngbq8FYDcZqMFbDoKyGmAJXZztkLLkGFkSOoLfdkEgfAWy09oi18l2q7PsQJ/EXRlFgHb"
    "7ktAdozZb0h6wgdmaRKQC8MVg57A/ryxiQcFU1Lg70jC20CNah4UX0aZ+WmyB8rBRtj0RG"
    "w7wtnayOGQpFNeKkH1baXiezo7UqDizFRKkSXCpgVFwtVVzDLjLsoh4ruVnigkC9LWQ1yB"
    "VbXGjWoJj1eolceuOBKpD0NW2QdsAVzehkc1aKeroJIAEWFlay3q2TLTop7YQNktFKB6GV"
    "xqOlsORnEhqu920dKFnQZvAu9SZxd8n6Jtiw49lQIY6SoVeKLvCSoE5WQMfO8BndSmcqq1"
    "cqoOHi1T5DCQsPBpXO66S5ThO6PbPW+V1UUrsuNhlL6ARnx+sDWVon589VFohMQsMVov2S"
    "2mj6HzgLJvdQkCxfc052QUq7g2pOnjVRI2krKdD8XhHpqHwe5MWcVLAuy+l3FkX7Sjs/zm"
    "kXsCuCBu3taPsYYuS6u+AtENWu+tXhABfZLVJtpCikEX+nNQ1vWFUaO53Q+hZphN6SOeZt"
    "VRWoLKffRnEQLSiGbSI53XYr3hOtTrntAPD+hgWHznwzZT8fu+xnL4OvAyUYCmZzC8Cacq"
    "qPFdWOC80JQtpZCTp5PDvM2jQ6mTmJO08h+zNJuXnJo8/0FZ05JMEYhF7guKxaBt6A2TL0"
    "7lnNqSUjT7J4dRLGFp/Z3PoTTBh8cH5hEwZvuPO273JIPrEqxHJeX17GUPv2oPYlq51KKC"
    "8nYg4aG7anp9uFRF9XT1R8dZdRL0qaUe/LqAtoPpWSu/11gBhetOFFN7LN5RZkbktj1k4r"
    "xclfsZ40AvygdaXzkElt7RTRbQb3ZJa2bFatMsSsg9jUZXWgPRD1BI7oh0XfmFV7puYtYJ"
    "bT1CIwtpDZpcympjYyp5JLiq4c5ClC8ztzO/A5ZKzvYVjf0WA1N07S9jox41ozTsQFIq4c"
    "z8IbibYiLhHB0z4GCGjd/Iwt5lTvpBrJ1Zt3l+//mdrXqfJ5c/vuxyuBhX31z7vryxLm8f"
    "KruowUxHSazB0sKDXKY7YN7Kk8anfaSll5LEzAPoUfolNcBBpReryLXBey0iYNYg/RubUA"
    "hy6r+8ZA5QUakgMxvgczFxHIs+EiHYW3pDPRwkQUadi7P1NjrseLTp0WwwZSKYIQtzfugS"
    "YECRaTcwIlilVeRkOQLxpgfCGF+KISoYkKYlYBvoNfJOtHTkQLfOu8lte/3NXHZQp6Y9K8"
    "HKwpJU/4cLeDnQuCGrqTh+s+rkYNov1+l1BRXtAkAvd4iNnnqJwClZNphbnXo/yniyb0gQ"
    "s5feCiQh+gNgUF34X2YqdPSSDeyQdlFs0dv6jCgE2VPiyBqH5U7/YTOengIfdBGe2SmEF6"
    "O9L0rSx3RyJBWdasYn1exUjo+7Q7osS8KgoZ7lUlvNFbPsbQE1KGRsfoI6G/JTaGh/Y+5Z"
    "s7yt8hc8S3UsiBAyYLOyRobgk9TLykXYP4wwytVuz0T+QxWgSXF4UVZM1MtGCg0YIdjFjj"
    "7eu/ykdvLtUSkzMJLXzoh7aeAvhF8OXIYxRJey3A7TpAEW1nqhtFXsqQWtoitaSshj018J"
    "RAMbBBaKqB52dfrxgtvnOH7qEn1C6Te/XKpe9QRS9p1kC3ZE+xARfhJJToNnkJqBwBaydY"
    "8vTXkED8BwIW2KJQf09VTHfDr0el8Bjvlp2EKNJK23+AmNZL5dlNjtpenN5vRbnd09siV1"
    "v53wraTdJei+334LoN+5AmS4ssVSAuSmlXTLF9mE32phz6YebxNcnedC0STMLdqBhlWRN2"
    "6bMNjuEDXRJ3O+s3L2lGuc+jzJRCoWkqz7bIJHQyS/fS9eqyKGKte98ciribgYHbOIMim1"
    "S9sjZD2wmuvQALD93M3R3XWpys3QSmDbfanD8vEbAdlt1gBWMWrFgvndkSRPW+xzzpYQzm"
    "GK2i04XGkY3IWgO6NNABfAreozU/aygyExmFu2J4HuQpnzzHo2MZsKJQHgLsoAjgW1QuKt"
    "5AAGJnebLhJSxvQ3o+pwm/9MWZNh5s+MUQcXelDQaKwZdEQD9OSPt284MjyCuWYxs3787z"
    "Mxp1AmzLeTd0CioWvc8kzKxtfEIJx0gB5JKYdrP4pAnQJ3KgT2RAqxHzCkKdTeeOMD5uVJ"
    "D7uKYg93G1IDfdDhk9VGnByES0m8cHYcKz91XAN5PQMMzR/qlyrOhxqHL0SCZgjh0REaID"
    "y3GrcMoLq2YS3ZdVHf15HnpcgQHT0HEDanQ/ZY/9y6GWixosWyu2WvGiPY7T50cWYB8J/D"
    "3RjXFtATHmx1qk7ZpU7UYuBOgBsuIWZIZ8+DIqnB0sWdGLo8+fP40+jT5/fjJmjFWEF5bn"
    "EM5ZphcAhgs2BXhljLgIurBu9yGe0bLT5lvx2ByMU8AGWWm7RdoWzmhfK+dfzeSe/joViI"
    "tSHSqNlut2pJs3SZk5lqfMHFdLlHDMFE9wyckY1Xyram5ifibmZ2J+MvXvBi0c7weq2YcY"
    "irTAwv1aZdBlLSfzXNNG5WTXGFGtzLcIWSNsj8F0A6zZDIVewJmi/AyV2BcBjti8oJbGih"
    "FBozZUGSOyGrLtdW1CdgMN2fWNeqqTk7yfTkWtEDYBZ00Czj1x9vDd/EN87rVst/+QnYu9"
    "bbfPHaHdxPszxWgdpXVw8Ze8lukMoXuH/mVh7EDC3C5whmHA6rYTmEv3YG0d4UFtbXXb8i"
    "4vXwbbtN00ZN3Lt/MZwXMVoJP2Gnp9vpX9XCNPhMkhkUOveQ4JgdDbNYckJ6vhyA9kpBtR"
    "CeEX36Hd7VKjrSBp9Pc+j7JxKBuHsnEoSw8nI9xyqp5KFo9GPZugqSXpQ0yiMD0VYtXTQE"
    "hYdJ9Zc3MXQmHlgWZCJtLfr0j/47pwNTSvM2iT0Ihy+YCKoH41fE8a8XBPani4J1Ueru0Q"
    "9ttFISGEXGh5Eu5dTqx83hqVO9Qml17p+Ly129ubgi549aZcdurj26vr90fHHHrayAkK4a"
    "Cc7YVmLDWbnwypbHuVZE1md5+Vcst1qcDMsbHAgSVntZbE+kFtZc8bNLW14PRilbXm9I0g"
    "9nGs3jR23wpk9dtpXpw32GhenEv3GXbLOBqNozFVymZLy9vtzBNJF2br69vWpxBPLpUK27"
    "dCeK7q4MA+fZljpfARRfUG98MozZzQEaA45L8nRGWigZZIhdO08z3h+pDrSie4DumIfA1d"
    "h6X9jATOyPTeuM4h6aHAmW+YazVr3IjTygWdGR9UECCA6LU4VP4S+NCzmdeRG5aAQC8YAw"
    "wpgOyAX1Zzhv38P6L5fAwYmTay+ivc1nYf8cmz5gHEvMCqFQRw5dN/YJYeFbJiORhkB8yA"
    "o99CBwZgiUJMaLcpbfZJ1DU/nhhaRJ439SvdiHxnxjfMfCZ3/nvZr2Kr4deye13wa9ORbG"
    "rSpQIaUnLaz3oeUHmEAbvBmbHjQYGDsMYzkYloOJHbrlYzEGJZZ/ieNootnNbEFk6rsQW6"
    "fbLvXgXlnIiGKB8kgjNFtuCsS/lRIkl7LfCt85oc4igRloCvFPtNBbqrChTr2ody15eLAz"
    "XRMOpKA1VTTCJtv4qy/KiWnIg5arIccvToUjAJ8GYH72tJ1LAA++Z1rdB6IcZqtSOLUvrF"
    "sg6i2bhooRLTjZubWG77sVwTV/wG44rMf7jDkOfETPywzztZ3u+qxmsXSJpie1vp7aQUzN"
    "mT5q4YG+oZ1k3Z7oKpVmC90/cA7z7e3DwW7b0wCoKIU3mUtkadyrOkCSs+PjNv7ZAliwlN"
    "If3TtflpByw+FDst6f/n0WnQBDheUiQvOvuApUk/QOwEGxD6Ig79IR5hGPf9Ytwbf7jxhw"
    "/falzx+hTRSqMCdVmuw8R2ug15nfkSW57UpmakqRlZQbkbiNuPCNO3sjJOlkKmTlHQ5Ooo"
    "5OpwWtGE04pUZnZJTLvJfXzcZP04lq8fx5UTg50V/J0q6yoo52U6hPjj3auhLiGsex9iPj"
    "MVbJSyWHcBtpOhRNjYUUYPgtlbuzBnQh0uyolRONg12ZS6MKUueuD826PURf7IE07jduCe"
    "XPw8d1wPX+uBafis0sZHfh7qSEjFz90f1zlGbd5yEmZNG5HxIzHupmQeS4d9TK7LvZWYzi"
    "SLwJec926jteciizW6Z2fBRkUkVytWJTpgx8DyHpxgXPGKHuQpn7zoEgSMMwB8jBa8ULXD"
    "zqP1ETtzlp1lggLr82d2vgkdY1OretBceoxcF4VitnfdKBTlDhSA03U4StmRSjZRImAqzW"
    "y1huIlTtFrVZTSjy111sTtfSb3ep9VnN4swjah2gkRuq7kSJfltHOjnDZxw57K3bCnVTfs"
    "AMjJtGUI7W4Qbj/7yRdlM0i3QV+YyGAYyaMoG1NlpmYS2q0DJ+dNpiltJU8KOa9MVMOLlK"
    "OvLy8yMkR3GfWipBn1voy6gC5Zqepg01/mOqLoSf2Y5+U0HPHhjnD1w547nkOWO33ZJVFD"
    "fO7zOMcORTWbtCCkX3Z9+3ZS7P5Ud2sV5HQKJnXg2KoJOcW4thB1ep/1NLCBaBp4Ks5Bce"
    "ypuqK0AO3rtKNhLSZNgS2son0qX5/MaUGkKjfd5UGq3NfVhLFP6KyAdjFERN/NmUMSAPiF"
    "SrsbYJG4XRQuYv+2ghDTDtdLiCG/OA0924XAISLS/oGeIqztlHA5E2eiKeTUm01hXBN8Ui"
    "Xudk/Z7UwFat+RuYND/lF88QPWMpfrKrryFPGodfcZ4o9jmB0kF5ylSewwr0tiZm43iTQ5"
    "v4vojjV7YyJhrKad6QDRCbFK8b1UQsNZ3T4l4B5uFF0vmYSGALevdSQafhViebmyvIwWIH"
    "desiwxm5RWjryQFrAX5/Z5oyS485osuPNqGlxc5pQuCipQF6U0xPogVQ89FIho0/J1JBXQ"
    "gEDQ9RIS+owgDO3JVGlml8Q0AN6cx20C+OPWaRsby7vfadALgiay2+fILhuqiTrvrSSm3R"
    "Lamm5QCS82ScCKWE97Z18V04UGtq5KU7AKEfMooWNPpN5HvegE0kEDfzFcosBfhmRN4C/X"
    "qEHgL47FASYGbXbOCksbs0Bg4QUMWNGstfUAyfc8VseZ42BlzZaOB/9A+EHWDmEZYCmnvB"
    "Txa7P7T94RPx37T/EH/Kdkfj71N8CyH1gkm+WlmfSzATg4+3rO9mPru6Uy683qrNcVWq/Y"
    "0NGnpxKlyiRMpGqPSBVf6VRwTwUM7HvCPllY/kTlbIGiUHfhq9Pnz4aSzrOmvwMpRbsziX"
    "7URGeP1aYmOglnVP0hE7VktZJUdxP9xVCmOT8kQRHVgkx3mB4PBdOFMGNVvnAk7c2y0f6y"
    "MYDsYRx63ZUjbT/+bfJeD533yrQ1ReWu25V5KAszV3vpF453C0cJxE18os/xiSW0XPpZKm"
    "zFmYTZjFvfjJNwrlrAvSil3Y5h4u0m3m7KJJhRb7TFVWKY8MFywx3HvSxrdJn+DHT1+zbV"
    "Er6NcTZ5/CaPv28D0WYefxMKk/Ak2h1IOTdRP5qg3QUvhyEmp+bEeG5l50ziAdzO0PmZ1W"
    "K2QCwHbMcGrB7zerkBRzw+DGJ/yxj4VkggGQO61oYrSJ6MwRxhTqzx6U+q5uO327Xh2/R4"
    "+R4DOd9GXV3S1g7SSU0K4BfBwNZUkY7ba0ijOsixfo9YJb13aPdCDc14r/uqodoRlitqaG"
    "EO9qns0V/R9EZW9yi9V6th/QdNJwqlj35eIoBDj7DjgCm0FAbkAdrHGIRe4Lis5pAHYt4x"
    "75ZEfz31N08ouNY9vT3d8PM1nHhmVQ/mOMRDPnmYTs41ZAqbw2ohBYCdB0OVtKg9eoA46t"
    "hhtZV8h+4t+ypqj0vN1fBgArlWtkSuLTqSSQ52JqHhFn6AozWjT2IXt3BB0qjBvVODFbLC"
    "DrmXXULszJainSy+U7uPWVmbbZuYfGDNifb9OtHeFGCr0MHOG9HBzmvoYOeVc+3pR6WAcN"
    "xcQ3QPkj9EnxhATymBKCdiUlkU+UGPupl9/X+tLe1e"
)
