from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True


async def upgrade(db: BaseDBAsyncClient) -> str:
    return """
        CREATE TABLE IF NOT EXISTS "job_cursor" (
    "name" VARCHAR(40) NOT NULL PRIMARY KEY,
    "position" BIGINT NOT NULL
) /* Where a job that walks a table in id order has got to (e.g. the clip job's newest */;
        CREATE TABLE IF NOT EXISTS "service" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "station_id" VARCHAR(64) NOT NULL,
    "kiosk_id" VARCHAR(32) NOT NULL,
    "session" VARCHAR(40) NOT NULL,
    "roi" VARCHAR(40) NOT NULL,
    "start" TIMESTAMP NOT NULL,
    "end" TIMESTAMP NOT NULL,
    "duration_s" REAL NOT NULL,
    "end_event" BIGINT NOT NULL,
    "clip_state" VARCHAR(12) NOT NULL,
    "clip_reason" VARCHAR(300) NOT NULL,
    "next_try_at" TIMESTAMP,
    "created_at" TIMESTAMP NOT NULL,
    CONSTRAINT "uid_service_kiosk_i_9401b9" UNIQUE ("kiosk_id", "session")
) /* One customer's service: a kiosk session at a station, its wall edges fitted from the */;
CREATE INDEX IF NOT EXISTS "idx_service_station_d3ab4f" ON "service" ("station_id");
CREATE INDEX IF NOT EXISTS "idx_service_start_518a09" ON "service" ("start");
CREATE INDEX IF NOT EXISTS "idx_service_end_eve_173504" ON "service" ("end_event");
CREATE INDEX IF NOT EXISTS "idx_service_clip_st_b0f24c" ON "service" ("clip_state");
CREATE INDEX IF NOT EXISTS "idx_service_next_tr_eeec47" ON "service" ("next_try_at");
        CREATE TABLE IF NOT EXISTS "service_clip" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "device_id" VARCHAR(32) NOT NULL,
    "staff" VARCHAR(64) NOT NULL,
    "object_key" VARCHAR(200) NOT NULL UNIQUE,
    "size" BIGINT NOT NULL,
    "rate" INT NOT NULL,
    "duration_s" REAL NOT NULL,
    "start_at_s" REAL NOT NULL,
    "end_at_s" REAL NOT NULL,
    "covered" REAL NOT NULL,
    "recordings" JSON NOT NULL,
    "peaks" JSON NOT NULL,
    "sources_at" TIMESTAMP NOT NULL,
    "created_at" TIMESTAMP NOT NULL,
    "service_id" BIGINT NOT NULL REFERENCES "service" ("id") ON DELETE CASCADE,
    CONSTRAINT "uid_service_cli_service_9d0f21" UNIQUE ("service_id", "device_id")
) /* A service's clip from one badge, in the object store: the session with its pre-roll */;
CREATE INDEX IF NOT EXISTS "idx_service_cli_sources_f38d18" ON "service_clip" ("sources_at");
        ALTER TABLE "review" ADD "service_id" BIGINT REFERENCES "service" ("id") ON DELETE SET NULL;"""


async def downgrade(db: BaseDBAsyncClient) -> str:
    return """
        ALTER TABLE "review" DROP COLUMN "service_id";
        DROP TABLE IF EXISTS "service_clip";
        DROP TABLE IF EXISTS "service";
        DROP TABLE IF EXISTS "job_cursor";"""


MODELS_STATE = (
    "eJztXW1z2za2/isYf4kzV5vGTpym6c7O2Inbza4b7ybObXebHZmiIIkVRbAAacXdm/9+Af"
    "CdBChCImkSwZe+iDiQ/AAEzstzzvnv0QbNoUueXOOl5TnEChzkHb0C/z3yrA2k/yF8PgFH"
    "lu9nT9kHgTVzuQAqj5yRAFt2QJ8tLJdA+tEcEhs7fvxdR+fAXlmOB9ACkIDLEXAcrCAIoG"
    "d5weMnbJo5suk8jrdsLBF6zu8hnAZoCekjTOV+/Q/92PHm8DMkyf/66+nCge688Ec7czYB"
    "/3wa3Pv8s7de8AMfyH7MbGojN9x42WD/PlghLx3teAH7dAk9iK0AsukDHLI/3gtdN8YqwS"
    "P6pdmQ6CfmZOZwYYUug5BJRz8g++xoOn13fTP9cHkznR5V4E0kcvjFH9kUNro09KcS/tcv"
    "2U/40+nJ82+fv3z24vlLOoT/zPSTb79EX50BEwlyeN7dHH3hz63AikZwjDNQ+b8rsL5eWV"
    "iMazK+hCz9yWVkExyHC+3G+jx1obcMVvR/T54+rQHyf8/fv/7r+ftjOuox+0pEX57ozXoX"
    "PzqNnn35wvbvYp0Dm30ws+z11sLzaeFJtgwYLtn7Ul2Ji1jwh7+/h276+pbQj4+D93ySfd"
    "Yh+SBbiOxU6GElviS7LPk03gkcS3SKZGBWH21ON+VPLM9a8j+JfTf7piJagmM1w1F+oOJs"
    "TIOjdIlR6BcORscjzhwCix6XuaNZdKgqyQqO118rhz//c/9jjt2v9th94Ne9o4N3ktu0+S"
    "0/VdrBAsnd23kMoLewoytXmxjwKto/IAydpfd3eM9Bf0t/meXZoh0t0WxHBrbsQqMfY2ub"
    "HrKizUb/gyIAg+hAOP/w+vzN5dGXJjpEcj8cpkR8CJqCHv9BQ8e8UyUiQUugReSAlKsRJF"
    "AyyZYWSdSAV2BLL3gI5vDOsSEBW4TXE7B1ghVwAgJcZFsuQD70KGZghUJMhMrFwRO2bNDJ"
    "r0DhWTx+u+PF8wa334vn0suPPRq7rnF0NF5NI3A28A/kKSGcl+kR5Y83r/sBuq09nVMvon"
    "Nnys8dFagrgvrt6pMmm/pEvqdPymBHtq2a2lyQ2UthHpg60bG+nPkPDtSUGzt9BoZvUxW5"
    "sLH2V45jreYw3fgNn0QfrEtvvY3wnE5zsBcynkcjnLo0IV6jDX1W1IxLj2pNCDs3qElUJx"
    "oOAgSsWNd/BSj6IZxPAIFeANAdxOCnf97cTIDlkS21CebgGGEAP/sO/W9x5KedWY0xcZgu"
    "8LyJgvtcrt8+f7rLmEC+mvalq9PyRROl64Vc6XpRVrosLDp4//bh+p0Y2mR8Cdy5Ywfg/4"
    "DrkM6clEd/XoSezfADs9BxA8cjT9jX/qUrfbcGaoYPm3lDyO9uHuLjn85/KaP/+ur6gkOG"
    "SLDEfBY+wUVpKZhDRMmeSwW62umVE+UoOlv7sTBeNtjrL6Vb/WV5p9sYMjCmVlDF+A19wq"
    "xjMc5FyfLOj0WfJP8xxkOG/oHza8+9zxQ0GfA3b3+6/HBz/tM/Ctv/zfnNJXtyyj+9L316"
    "XD6Q0knAz29v/grY/4J/X7+7LL8l6bibfx+x32SFAZp6aDu15rntmXyaoFZY9eieJ3usel"
    "FSw1UfySonmNQuM9P19ljjnFgLCzxMs0KL9Z0jD+6xvjkxs75DXl+0Flj/CLnQ8iQq/lqw"
    "qDMqodU6XlxfXxWW8OLtTUnh+fjTxSXV+fna0UFO5KRKqCB5Pwthv1pB1c8kDlL2x4N2J1"
    "o9xBjhKuw38LPEpZ0K7KXVjwftm8tfburRTo+oq+t3PybDy0tQRDvyAQljCHI7qiDUmy3V"
    "m9Pg2WkDQ+rZqdSSYo9qgwrz1D99YFChsaN7YHg3DSoUNppqUKFLZ3AMvMAXnC2J3BWcrX"
    "8TTzCLrJCAO2Jn1nwJAcJg7SCyBsyTyzkfdOFJANZUWfA4TQSKfL97z2O8vUM4TyY13t61"
    "4ykBnYzX0OPbshNstVXBNRqtHXWhrQ2cwbpQgnVhYG0Gqw1xQGfzlhD7OKZzNAVZJKuDRl"
    "3E/LuzBph/dybFnD0qEcsstYBQMn4YASH2fdoEhJDnOiKGX71jJBXazzmyj2qdrs1ovSNM"
    "OwzJFEOLiOhR9TG4gqB2x3r7rMoYsz3c9XlB49AdskPXtUgwJRAKXqb6NS4ImjUe8hqvIf"
    "Qt17mDU4HGIKXslqQMabd6G9GrWnA2XjhLKaiJhEZofnd6+uzZt6dPn714efb822/PXj5N"
    "Ya0+qsP34u2PDOLCa1LFfOFavso2Tsf3l6b5dCTblx/hAXQFqqvcjigImYDT/lYDB9KmCu"
    "uSJaCoK1kieXMPD/ke5iuW8uj3XfLyBGbNh7zmW4S9KXE8UdytfrGLkmaVh7zKK2i51AhX"
    "uEYziWE45LRiaBsKsVyH1JdCPIcszcghhEKy1+ILJzAH75AP3rg4hSKRqCjVUbRp7DUjao"
    "hEubIkBzKJ2iwnM0QmUXGn7Z+fHCdQHph7m0sYHdm11ShFObCWU4y2rWRx31hNEpRHCRO8"
    "g2z4QSBdsjl0BYh5tzYwwPeHYXSTn0ZrnHj5FLctuP6aTqYjaA9RR2GUQIW+i6xDb7yPfB"
    "JdIbJciA89yc/ZHLoCFPrMTGtFIfjIp9IJqO6J6kyJknLVYw1rF119GsTjdlLWrz3I6iAn"
    "BUYeEcA4bxOwQBgsKPisMGFSvXB2zx4CxwMf/nkFjm9vo9/0hEnc3gKHAOZXmhyVEO7iOz"
    "5525Vjr9ggJ4CcFP+PyEpmYnQL4XswdxYLiKnK5d5LK6H8muP3M8wOquBcF8PWrIhzL/Fr"
    "OYc+3t5NXRfxcJP9tJuVPNwcswckIn+dSWaDuHAnY8kyi4x7wcWdWv3ySxumQxrd1xEGgE"
    "sBiwBqHUHnDs6riWQ7R7ecLmZuwL5uwGQV94jYlET7idc9gJ9Zj1gN/F3tNYsFdOqv0DNZ"
    "UugcqEE80I3q2zfeDDIVbT4er6Gi2X4JRHaBVMGVU2yS8f0TbDRiqQ7XiBq7qTo2G2qI4f"
    "XBmlBZ7E9gRhUCg3JTqhCGbGZOpSJgAwmhPy1vJYHj2H6K/gawhj63othrL6ja3MJ8xiQb"
    "tN5iTDJjkhmTzJhkWuNtrAZjNRirwVgNo7IaYgpcne2QseQaWBA5gt5uQyL9CjBHW49YG9"
    "+lyr4PcRJ/YRQFNuErTnuAlr2if8gGYseOTAHgTcDGYf+wPk8ACTdV46Kj79hBi2ATGl7E"
    "kO5puQnC10rR9khkNMzb0snqsFEoqhEnfbHS8TqZHa1VcWApJkqV4FIBo+JqqeIadpFhFw"
    "1Yyc0SFwTqbSGrQa7Y4sKwBsWstyvk0gd3VIGkP3MO0gm4ohl1NmelqGf3ASTAwsJK1vtN"
    "skMnpZOwRTJa6Si00ni1FI78TELD876thpIFbQbvU28S95esb4INe/aGCnGUDL1RdIGXBH"
    "WyAnp2htv0KrVVTq9UQMPDq32GEhY2BpXu62S4Thu6PbPW+UNUUrsuNhlL6ARnz+cDWVmn"
    "Zy9UDohMQsMTov2S2mj2G7SD6RoKkuVr+mQXpLRrVHP6tIkaSUdJgebPikhH5fMgL+akgn"
    "VZTr9eFO0r7byd0z5gVwQN2rvR9jHEyHX3wVsgql31q+4AF9ktUm2kKKQRf6c1DW9cVRp7"
    "3dD6FmmE3oo55ueqKlBZTr+LohMtKIZtKuluuxPvqVZdbnsAfLhhwbEz30zZz4cu+znI4O"
    "tICYaC3dwCsKac6kNFteNCc4KQdlaCTh7PDrMxjTozJ3HnGWT/TFJuXvHoM/2JzgKSYAJC"
    "L3BcVi0D3wN7FXprVnNqxciTLF6dhLHFPZtb/wYTBh+dX9iEwRvevO27HJJXrAqxnNeXlz"
    "HUvgOofclppxLKy4mYRmPj9vT0e5Do6+qJiq/us+pFSbPqQ1l1Ac2nUnJ3uA4Qw4s2vOhG"
    "trncgsxdaczaaaU4+Ws2k0aAd1pXOg+Z1NZOEd1lcE/tdGSzapUhZhPEpi6rA+2BaCZwTF"
    "8s+otZtWdq3gJmOc0sAmMLmX2U2dTURuZUcknRlU6+RWh+Z24HvoeM9T0O6ztarObGSTpe"
    "J2Zca8aJuEDEheNZ+F6irYhLRPC0jxECWrc/Y4s51TupRnLx9t35+3+l9nWqfF5dv/vxQm"
    "BhX/zr5vK8hHl8/KoeIwUxnTZzDwdKjfKYXQMHKo/adVspK4+FDTik8EPUxUWgEaXtXeS6"
    "kJUOaRB7iPrWAhy6rO4bA5UXaEgaYnwPbBcRyLPhIh2Fj6Q70cJEFGk4eD5TY27Ah06dFs"
    "MWUimCEI837oEmBAkWk3MCJYpVXkZDkF82wPilFOKXlQhNVBCzCvAN/Cw5P3IiWuBb57W8"
    "/OWmPi5T0BuT4eVgTSl5wof7NXYuCGroTh6v+7gaNYju+31CRXlBkwg84CVmr6NyClROph"
    "Xm3oDyn142oQ+8lNMHXlboA9SmoOC7cL7c61USiPfyQplDc883qrBgM6UXSyCqH9W7/URO"
    "unjIvVNGuyRmkN6NNP1VlrsnkaAsa06xIZ9iJPR9Oh1RYl4VhQz3qhLeGCwfY+wJKWOjYw"
    "yR0N8SG8NDB3f55o7yd8i0+FYKOXDAZGGHBM0doYepl4xrEH+w0WbDun8ij9EiuLworCAb"
    "ZqIFI40W7GHEGm/f8FU++nCllpicSWjhQ+/aegrgZ8GbI49RJOO1ALfvAEV0naleFHkpQ2"
    "ppi9SSshoO1MBTAsXIFqGpBp7ffYNitPjODVpDT6hdJs/qlUvfoYpeMqyBbsm+ZQ64CCeh"
    "RI/JK0DlCNg6wYqnv4YE4kcELLFFof6eqpjuPf88KoXHeLesE6JIK23/C8S0XirPHnLUDu"
    "L0fi3K7YHeFrnayv+toN0k47W4fjvXbdiLNF1ZZKUCcVFKu2KK7cNssjfl0I8zj69J9qZr"
    "kWAa7kfFKMuasMuQbXAM7+iRuF+v37ykWeUhrzJTCoWmqTzbIpPQySw9SNery6KIte5Dcy"
    "jiaUYGbuMMimxTDcraDOdOcOkFWNh0M/d0UmtxsnFTmA7caXP+vEJg7rDsBiuYsGDFduXY"
    "KxDV+57wpIcJWGC0iboLTSIbkY0G9GigC/gEvEdb3msoMhMZhbtieHbyLZ88x6NrGbCiUB"
    "4CrFEE8C0qFxVvIACxXp5seQnL25D25zThl6E40yajDb8YIu6+tMFAMfiSCOjHCWnfbr5z"
    "BHnFcmzj4f15fo6OegG25bwbugUVi95nEmbXNu5QwjFSALkkpt0uPm0C9Kkc6FMZ0GrEvI"
    "JQb9u5J4xPGhXkPqkpyH1SLchNr0NGD1U6MDIR7fZxJ0x49nsV8M0kNAxztN9VjhU9DlVa"
    "j2QCpu2IiBAdWI5bhVNeWDWT6L+s6tGfF6HHFRgwCx03oEb3E/a1f+nquKjBsrViqxUv2s"
    "M4fX5kAfYjgb8nejCpLSDG/FjLdFyTqt3IhQDdQVbcgtjIh6+iwtnBihW9OL69/XT06ej2"
    "9vGEMVYRXlqeQzhnmX4AMFyyLcArY8RF0IV1u7v4jpadNl+Lx6YzTgFbZKXrFmlbOKN9rZ"
    "y/NdM1/etUIC5K9ag0Wq7bk27eJGXmRJ4yc1ItUcIxU+zgkpMxqvlO1dzE/EzMz8T8ZOrf"
    "FVo63g9Usw8xFGmBhee1yqDLRk4XuaGNysluMaJamW8RskV4PgGze2DZNgq9gDNFeQ+V2B"
    "cBjtm+oJbGhhFBozFUGSOyGrLtTW1CdiMN2Q2NeqqTk3yYTkWtEDYBZ00CzgNx9vDb/EPc"
    "91p223/I+mLvuu1zLbSbeH9mGG2jtA4u/orXMrURWjv0XxbGDiTM7QJtDANWt53AXLoHG+"
    "sIG7W1NW3Lt7z8GGzTdtOQdS+/zm2CFypAJ+M19Pp8Lfe5Rp4Ik0Mih17zHBICobdvDklO"
    "VsOVH8lKN6ISws++Q6fbp0ZbQdLo70NeZeNQNg5l41CWNicj3HKqdiWLV6OeTdDUkvQhJl"
    "GYngqx6mkgJCy6z6y5hQuhsPJAMyET6R9WpP9hXbgamtcZtEloRLl8QEVQvxq+p414uKc1"
    "PNzTKg937hD2t4tCQgi50PIk3LucWLnfGpXr6pJLP+m539r19VVBF7x4Wy479fGni8v3xy"
    "ccejrICQrhoJzthWyWms07QyrbXiVZk9k9ZKXccl0qYDtzLHBgyVmtJbFhUFvZ942a2lpw"
    "erHKWgv6iyD2cazeNHbfCmT1u2m+O2tw0Xx3Jr1n2CPjaDSOxlQps1eWt1/PE8kU5uob2t"
    "WnEE8ulQo7tEJ4rurgyF59mWOl8BJF9QYPwyjNnNARoDjkfyBEZaKBlkiFs3TyA+H6kJtK"
    "J7i6dES+ga7D0n6OBM7I9NmkziHpocBZ3DPXaja4EaeVCzo2X1QQIIDoZ3Go/BXwoTdnXk"
    "duWAICvWACMKQAsga/rOYM+/P/hBaLCWBk2sjqr3Bb2/2KT561CCDmBVatIIAbn/4HZulR"
    "ISuWg0HWYAYc/x46MAArFGJCp01ps4+jqXl7YmgRed7Ur/Qi8h2bX5j5TO78+3JYxVbDr2"
    "XP+uDXpivZ1KRLBTSk5LSf9Tyi8ggjdoMzY8eDAgdhjWciE9FwI7ddrWYkxLLe8H3WKLbw"
    "rCa28KwaW6DXJ3vvVVDOiWiIcicRnBmaC3pdyluJJOO1wLfOa9JFKxGWgK8U+00F+qsKFO"
    "vaXbnry8WBmmgYdaWBqikmkbZfRVneqiUnYlpNlkOOHj0KpgG+38P7WhI1LMCheV0rtF6I"
    "sVrtyKKUfrGsTjQbFy1VYrrxcBPLbT+Wa+KKX2FckfkP91jynJiJHw75Jsv7XdV47QJJU2"
    "xvJ72dlII5B9LcFWNDA8O6KdtdsNUKrHf6O8C7j1dXD0V7L6yCIOJUXqWdUafyLmnCio97"
    "5m0dsmIxoRmk/3TnvNsBiw/FTkv6/4uoGzQBjpcUyYt6H7A06TuIneAehL6IQ9/FVxjG/b"
    "AY98Yfbvzh47caN7w+RXTSqEBdlusxsZ1eQ15vvsSWN7WpGWlqRlZQ7gfi9iPC9FdZGSdL"
    "IVOnKGhydRRydTitaMppRSo7uySm3eY+OWlyfpzIz4+TSsdgZwP/oMq6Csp5mR4h/njzeq"
    "xHCJveh5jvTAUbpSzWX4DtdCwRNtbK6E6we2sP5kyox0M5MQpHeyabUhem1MUAnH8HlLrI"
    "tzzhNG4HHsjFz3PH9fC1dkzDZ5U2PvJ+qEdCKn7u+aTOMTrnI6dhNrQRGT8S425K5rF02M"
    "vkutxbielOsgh8xXnvc7T1XGSxQWvWCzYqIrnZsCrRAWsDy2dwgknFK9rJt3zyoo8gYJwB"
    "4GO05IWqHdaP1kes5yzrZYIC6/aW9Teha2xqVY+aS4+R66JQzPauW4WiXEcBOF2Xo5QdqW"
    "QTJQKm0sxOayg+4hS9VkUp/dhSz5u4vZ/Lvd7PK05vFmGbUu2ECF1XcqTLctq5UZ41ccM+"
    "k7thn1XdsCMgJ9ORIZz3g3D72U++KJtBeg36wkQGw0g+irIxVXZqJqHdOXB61mSb0lHypJ"
    "CzykY1vEg5+vryIiNDdJ9VL0qaVR/KqgvokpWqDnP6l7mOKHpSv+Z5OQ1XfLwrXH2xF47n"
    "kNVeb3ZJ1BCfh7zOsUNRzSYtCOmXXd++nRS7P9XdWgU5nYJJPTi2akJOMa4tRJ3eZzONbC"
    "GaBp6Ke1Ace6qeKC1A+yadaFyHSVNgC6fokMrXJ3taEKnKbXd5kCr3djVh7BO6K+C8GCKi"
    "v81ZQBIA+JlKu/fAIvG4KFzE/tsKQkwn3K4ghvzDWejNXQgcIiLtd/QtwtpOCZczcSaaQk"
    "6DuRQmNcEnVeJu/5Td3lSg9h2ZezjkH8QXP2Itc7WtoitPEY9G958h/jCGWSe54CxNYo99"
    "XRIze7tJpMn5Q0R3rLkbEwljNe1NB4g6xCrF91IJDXd1+5SANbxXdL1kEhoC3L7WkWj4VY"
    "jl5cryMlqA3HvJssRsUjo58kJawF7c22eNkuDOarLgzqppcHGZU3ooqEBdlNIQ606qHnoo"
    "ENGm5edIKqABgaDvIyT0GUEYzqczpZ1dEtMAeNOP2wTwJ63TNu4tb73XohcETWR3yJFdtl"
    "RTdd5bSUy7I7Q13aASXmySgBWxng7OviqmC43sXJWmYBUi5lFCx4FIvY9m0QmkTgN/MVyi"
    "wF+GZE3gLzeoQeAvjsUBJgbnrM8KSxuzQGDhJQxY0aytdQfJ9zxWx5njYGPZK8eDjwhvZO"
    "0QlgGWcspLEb82p//kHfPu2N/EL/A3yf584t8Da37HItksL82kn43AwTnUPtsPre+Wyqw3"
    "q7NeV2i9YkNHr55KlCqTMJGqAyJV/KRTwT0VMLAfCPt0aflTld4CRaH+wlfPXjwdSzrPlv"
    "4dSCnanUkMoyY6+1ptaqKT0KbqD5mqJauVpPrb6N+NZZvzJgmKqBZk+sP0ZCyYLoUZq/KD"
    "Ixlvjo32j40RZA/j0OuvHGn78W+T99p13ivT1hSVu35P5rEczFztpW843i8cJRA38Ykhxy"
    "dW0HLpa6lwFWcS5jJu/TJOwrlqAfeilHY3hom3m3i7KZNgVr3RFVeJYcI7yw33XPeyrNFl"
    "hrPQ1ffbVEv4OtbZ5PGbPP6hLUSbefxNKEzCTrR7kHKuonk0QbsPXg5DTE7NifHcyc6Zxg"
    "u4m6HzM6vFbIFYDsydOWD1mLere3DM48Mg9rdMgG+FBJIJoGdtuIHk8QQsEObEGp/+SdV8"
    "/HanNnybAR/fEyDn26irS9raQTqpSQH8LFjYmirS8XgNaVSdtPV7wCrpg0N7EGpoxns9VA"
    "3VjrBcUUMLe3BIZY/+hmZXsrpH6bNaDes3NJsqlD76eYUADj3C2gFTaCkMyAN0jgkIvcBx"
    "Wc0hD0S84yd8WhL96zFF1lrTZ7N73lzDibdVtStH69/wycN0W24hU9UcVgUpAKwTDFXPov"
    "HoDuJoVodVVfIdeqscqqI9LClXw5YEcn1shdy5qBmTHOxMQsPLu4OmmtErsY9DuCBpFODB"
    "KcAK+WBd3mLnvg8tV3SHxU9qbzArG9Okcl/AXT2P6P3C5XjHe2qo3zlwy+15ZqVTWOkmZu"
    "O+Zz2a8D0Vgz5wCFhDPxCW6mtpWuMWGLA6XXcNqXEQ+uYejPj6Yc2EoKdUDScnogXEfVey"
    "MIQP+W4fZ+i/CeFjeNRmAYcK+VHvtnESm+n1f6dmq+RlDFVt52WRaVgq90VRSgOY+74wZn"
    "CBRKXT5LzYTOIgXux4eCOdEGDj02Gfm7okajg8Q7PNi+vM7Mg9KDw5MRM6aY/Bw2BtI3KS"
    "TjSyZWjO38ltwCHFTV6voL1md8wN3PiuJW5xXh00qfND2cnwaZAf36jZeVxaO/IapROBZK"
    "LvgeUBOHcC5iuygAe3AKMt6yO+sDaOe397OwG3t/Ekt7f/c/K44qLq5FuiZucWWDi8XE02"
    "5RpCn/DWE8l30lm3FklGbp1gJe9FEX0de2y6UQzuYJzUOMGyhWtq32QSWnhquu4TLa3cL9"
    "3g8qL9o9YAWkvhNOWTui2fRCDmLaM4UAo4l+U0xPu0WVXHmqKOZbDpL1AxwuPhplySyUEd"
    "umPPhCTk0OsVklDgJJRN8kMrr+pmjnea4PE3NHsdYoLwkZh7GD+c7CIf2tm4BuxD1tHQYn"
    "RAalxazKR014TXR50xZh81M+cA4TnEYEWNzSXi5VOP4ZPlE26M2q7jM+FHhFm3cb+UEvuw"
    "5W/45BFImAY+hdRUhnfQC4CL0JoawdbhpVcNz7BlU0tu29KjzREHlur8C3kpbernPIT79W"
    "H8hPGVIMpgSy+Luqay6ZgGzLSKE43ljDEmc2wKgWMLrB1E1iA+UQDPR4uZZ49FrLQ2pjSM"
    "tAG/JnUHVryKis3ailK9Fa0bMUGNv0DT+AVSgboiqJ0d2L4DtNCAvCnQBSHtQO6gcWlgLR"
    "aKh0YkoB247R8Xlke2ECsVNs+JGF/dIb66iBeshH1eZhgl/Nj3aVPCb0Oc6mr84CJL1ug0"
    "Gl9aiQUTaLAG46Eovbn+eHF1Cf7x/vL12w9vY+BT1xx/yD6iHzgRoeL95flVCduF5VDtf0"
    "p/WeDYUYZM010vEDWbv/XNPzzGdbWY9MLxovUfJ+OaGeCqjOtMxqgzmgVmerU79YrLmNqg"
    "Oq+6gIZcqQ2aUDJU3XpFub284ANT3Pp08OVLFEU8TeUFKAnqxAN7WCZ4nuh7IBdcSDYe2Z"
    "o0pYWX9qOYGC44eVqA+UM207iOnKbYFg/bArT0J4B3H6+umtXMjOoYHEipyOo3aLKVO6VU"
    "JJtTEG7M7Vt5vDH3mjRLO7BDEqANxI9IEhF8BeoighNexmJruS6A8yVkdP6A9ZtdYLRh9I"
    "ejEradfMknj8vS6WwX2esJL6/BuBdRP1y04PKciBE3wI3ZQd8k7wZ7xrrgSgOcv8axmegl"
    "SiI0JglhMHfyxMQ9H9zyz78iaiHPvgNxvYHcQShOPaz8IAHl0RG98pUwBSGIGv8gEkUgxu"
    "8abB9YXg5b1UGUCunnEByvK6jqAYSe4NzfUQ3QEx37Ovj8dFrYeYgjRUhg+dXEZYtie4Zn"
    "R7SubcRn6Qsx5YRwNWuhINaVL09XsyEXuKJG4FQ5AluU6i8M69NV76+nbxM19kSuxp5U1F"
    "gOm3pj35KYdjpXJ5X2Pfg5mAb4fo/oXEm0l6JARgPb76IeV+DdxGB3L/uIMyJHEiyp3EkH"
    "4hN75V/TmUb4mjxkjINDJo9zJIjujHVwX36zgMd5En54FEcHeECBZUPNrPmSCjgeDyOg2W"
    "/QDgAJEIavosBCHKVgVYuiLl4Y/ok1BanEOzr4jqjGEjtG+P9O4qZjLE01J0e/Lw6WsLgJ"
    "S1OV1hP/NR8nylIjTHRjQGaKPLoxpgSYMfvdTQpMd5Gj6PSbrqFSzZSilHYZ7KeNbMHTGl"
    "vwVFB9yflD4N6oJevFEoYktrdnCQt9SvIqrWJn0qgRb608m3FH9+aO5pG3qRUoQl0UM1A3"
    "9fwrA50XMjA3gdlmrf2gQFOuQTknY0BuAjKGNsIsNqGUVluUMlnNB2QR+tBaK2GfChjYD0"
    "neRCG292qLWJQ0PBcTZTFRloePsgwk021wqzyEPKuHyP8Z2kK0kAD0wE03ziF27NWRIOoT"
    "P5nUtnnNxuwK9cgxbbmY3dcS8zjQnSOPZkj7GcjdwPKGBjpEMk7Pzpp4gc/O5F5g9qxUcs"
    "r3VRCOh2uIbicdDug3BkISZ11RqVTE2GCKNpgCG6b9y+zL/wNgRJKl"
)
