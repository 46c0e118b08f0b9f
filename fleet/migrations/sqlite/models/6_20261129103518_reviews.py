from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True


async def upgrade(db: BaseDBAsyncClient) -> str:
    return """
        CREATE TABLE IF NOT EXISTS "checklist_template" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "family" VARCHAR(40) NOT NULL,
    "version" INT NOT NULL,
    "name" VARCHAR(100) NOT NULL,
    "service_type" VARCHAR(20) NOT NULL,
    "doc" JSON NOT NULL,
    "created_by" VARCHAR(64) NOT NULL,
    "created_at" TIMESTAMP NOT NULL,
    CONSTRAINT "uid_checklist_t_family_9d3d49" UNIQUE ("family", "version")
) /* One version of a checklist template; an edit is a new row (``family``, ``version``+1) */;
        CREATE TABLE IF NOT EXISTS "review" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "station_id" VARCHAR(64) NOT NULL,
    "kiosk_session" VARCHAR(40) NOT NULL,
    "device_id" VARCHAR(32) NOT NULL,
    "staff" VARCHAR(64) NOT NULL,
    "answers" JSON NOT NULL,
    "comments" JSON NOT NULL,
    "msi" REAL,
    "failed_critical" JSON NOT NULL,
    "state" VARCHAR(16) NOT NULL,
    "reviewer" VARCHAR(64) NOT NULL,
    "created_at" TIMESTAMP NOT NULL,
    "updated_at" TIMESTAMP NOT NULL,
    "template_id" BIGINT NOT NULL REFERENCES "checklist_template" ("id") ON DELETE CASCADE
) /* A filled checklist for one service (a kiosk session at a station). */;
CREATE INDEX IF NOT EXISTS "idx_review_station_698687" ON "review" ("station_id");
CREATE INDEX IF NOT EXISTS "idx_review_state_ca924c" ON "review" ("state");
CREATE INDEX IF NOT EXISTS "idx_review_created_3fd92f" ON "review" ("created_at");
        CREATE TABLE IF NOT EXISTS "appeal" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "by" VARCHAR(64) NOT NULL,
    "comment" TEXT NOT NULL,
    "created_at" TIMESTAMP NOT NULL,
    "state" VARCHAR(16) NOT NULL,
    "resolver" VARCHAR(64) NOT NULL,
    "resolution" TEXT NOT NULL,
    "before" JSON,
    "resolved_at" TIMESTAMP,
    "review_id" BIGINT NOT NULL REFERENCES "review" ("id") ON DELETE CASCADE
) /* A station's appeal of a review and its resolution; every step is kept. */;"""


async def downgrade(db: BaseDBAsyncClient) -> str:
    return """
        DROP TABLE IF EXISTS "appeal";
        DROP TABLE IF EXISTS "checklist_template";
        DROP TABLE IF EXISTS "review";"""


MODELS_STATE = (
    "eJztXW1z2za2/isYfakzV5uN7Th1052dsRO3za4TdxPntrvNjgxJkIQVRbIEaUXdm/9+Af"
    "CdBGhCImkSwZe8kDgg9QAEzstzDv472jhzZJGnN94S2phAHzv26CX478iGG0T/Ibw/BiPo"
    "uulddsGHU4sLOMWWU+J7cObTewtoEUQvzRGZediNnjW6ALMVxDZwFoD4XI6AI3+FgI9saP"
    "tPnrJu5s6M9oPtZW2JwMa/B2jiO0tEb3lU7rd/08vYnqPPiMT/ddeTBUbWPPej8Zx1wK9P"
    "/J3Lr72x/R94Q/Yy08nMsYKNnTZ2d/7KsZPW2PbZ1SWykQd9xLr3vYD9eDuwrAirGI/wTd"
    "Mm4StmZOZoAQOLQcikwxdIr40mk3c3t5MPV7eTyagEbyyRwS+6NKOw0aGhr0r4r1+yV/jT"
    "yfHzb5+fn754fk6b8NdMrnz7JXx0CkwoyOF5dzv6wu9DH4YtOMYpqPzvEqyvVtAT4xq3Ly"
    "BLX7mIbIxjf6HdwM8TC9lLf0X/e/zsWQWQ/3vx/tVPF++PaKsn7JEO/XjCL+tddOskvPfl"
    "C5u/i3UGbHZhCmfrLfTmk9yddBg8tGTfS3kkLiPBH/7+HlnJ51tAP1oO3vNO9hmH+EI6EO"
    "mq0MFIfIlnWXw1mgkcS+fEkYFZvrU52RSvQBsu+U9iz2ZPyqMlWFZTHOULqpe2qbGULj0n"
    "cHMLI7YJniMA6XKZWZpFi6qSrGB5/a20+POf+2+z7H61y+4jf+4tLbzjzKTNTvmJ0gwWSD"
    "48nYcAegMzurS1iQEvo/2D4yG8tP+Odhz0N/TNoD0TzWiJZjswsGUbGr3swW2yyIomG/0H"
    "RQD54YJw8eHVxeur0Zc6OkS8PxymRHzw64Ie/aC+Y96qEhGjJdAiMkDK1QjiK5lkS0hiNe"
    "Al2NINHoE5usczRMDW8dZjsMX+CmCfAMuZQQs4LrIpZmDlBB4RKhcHd9iwQSffAoVr8fDt"
    "jhfPa+x+L55LNz92a+i6xmg0XE3Dxxv0h2MrIZyV6RDlj7evugG6qTmdUS/CdWfC1x0VqE"
    "uC+s3q4zqT+lg+p4+LYIe2rZranJPZS2HumTrRsr6c+g8O1JRrO316hm9dFTk3sfZXjiOt"
    "5jDd+DXvRB+sC1/9zPHmtJuDvZBRPxrh1KYJ8crZ0Ht5zbhwq9KEmGUa1YnqhM2B7wAY6f"
    "ovAUU/QPMxIMj2gXOPPPD2H7e3YwBtsqU2wRwcOR5An11M/y2O/DTTqzEmDtMFntdRcJ/L"
    "9dvnzx4yJhxXTfvS1Wn5oo7S9UKudL0oKl3QEy28f/tw804Mbdy+AO4cz3zwf8DCpDUn5e"
    "gvi8CeMfzANMCWj23ylD32r23puxVQM3xYzxtCfreyEB+9vfi1iP6r65tLDplD/KXHe+Ed"
    "XBaGgjlElOy5RKCtmV5aUUbh2tqNhXFeY66fS6f6eXGmzzzEwJhAv4zxa3qHWcdinPOSxZ"
    "kfiT6N/zHERYb+wPmNbe1SBU0G/O2bt1cfbi/e/pyb/q8vbq/YnRN+dVe4elRckJJOwC9v"
    "bn8C7L/gXzfvropfSdLu9l8j9k4w8J2J7WwncJ6ZnvHVGLXcqIf7PNlj1POSGo76QEY5xq"
    "RymJmut8cYZ8QaGOB+mhVajO/csdEe45sRM+Pb5/F11gLr33EsBG2Jir8WDOqUSmg1jpc3"
    "N9e5Ibx8c1tQeD6+vbyiOj8fO9oIh06qmAqS9bMQ9tYKqn4qcZCyPxy0W9Hqkec5Xhn2W/"
    "RZ4tJOBPbS6oeD9u3Vr7fVaCdL1PXNux/j5sUhyKMd+oCEMQS5HZUT6syW6sxpcHpSw5A6"
    "PZFaUuxWZVBhnvinDwwq1HZ09wzvukGF3ERTDSq06QyOgBf4gtMhkbuC0/Gv4wlmkRXic0"
    "fsFM6XCDgeWGOHrAHz5HLOBx144oM1VRZsThNBIt/v3v0Yb28f1pNxhbd3jW0loOP2Gnp8"
    "G3aCrbYquIattaMuNDWBU1gXSrAuDKz1YJ0hz6e92UvkuV5E56gLskhWB406j/l3ZzUw/+"
    "5Mijm7VSCWQbWAUNy+HwEh9jxtAkKObWERw6/aMZII7ecc2Ue1TsZmsN4Rph0GZOIhSET0"
    "qOoYXE5Qu2W9eVZlhNke7vqsoHHo9tmha0HiTwhCgo+peoxzgmaM+zzGa4RcaOF7NBFoDF"
    "LKbkHKkHbLuxHdqgVr4yVeSkGNJTRC87uTk9PTb0+enb44P3v+7bdn588SWMu3qvC9fPMj"
    "gzj3mZQxX1jQVZnGSfvu0jSfDWT68iXcR5ZAdZXbETkhE3Da32rgQM6owrpkCSjqSpZI3u"
    "zDfd6H+YglPPp9h7zYgRnzPo/51vHsCcG2KO5WPdh5STPKfR7lFYIWNcIVttFUoh8OOa0Y"
    "2oZCLNch9aUQzxFLM8KEUEj2GnxhB2bh7fPCGxWnUCQS5aVaijYNvWZEBZEoU5bkQCZRk+"
    "Vk+sgkys+0/fOTowTKA3NvMwmjA9u2aqUo+3A58ZxtI1nct7BOgvIgYUL3iDU/CKQr1oeu"
    "ADHv1gb53u4wjG6z3WiNEy+fYjUF109JZzqC9hh1FAYJVOBaDjx0x/vIO9EVImgh79CV/I"
    "L1oStAgcvMtEYUgo+8K52Aap+ozpQoKVc90rAeoqtP/Kjdg5T1GxuxOshxgZFvCGCctzFY"
    "OB5YUPBZYcK4euF0x24CbIMP/7gGR3d34Ts9ZRJ3dwATwPxK41EB4Tae8cnervBsxRphH3"
    "FS/M+hlczE6BTydmCOFwvkUZXL2kkrofyW4fczzA6q4FwVw9asiHMn8Ws5hz6a3nVdF1Fz"
    "k/30MCu5vzlmj0hE/jqTzHqx4Y6HkmUWGveCjTux+uWbNkqa1NqvQwwAlwKQAGodIXyP5u"
    "VEsgdbN5wuZnbArnbAeBT3iNgURLuJ1z2Cn1mPWA36Xe0ziwR0Ol+hY7Kk0DlQgbivG9W3"
    "a7wZZCrafNReQ0Wz+RKIbAMpgyun2MTtuyfYaMRS7a8RNXRTdWg2VB/D6701odLYn8CMyg"
    "UG5aZULgxZz5xKRMAGEUJfLWslgaPIfgp/A1gjl1tR7LMXVG1uoD9jkvVabzEmmTHJjElm"
    "TDKt8TZWg7EajNVgrIZBWQ0RBa7KdkhZcjUsiAxB72FDInkEmDtbm8CNa1Fl30VeHH9hFA"
    "XW4UtOe0BwtqI/ZIM8PAtNAWCPwQazP+DnMSDBpmxctPSMB2gRrEPDi+jTPi03QfhYKdoe"
    "sYyGeVs6WR0zJxDViJN+WEl7ncyOxqo4sBQTpUpwiYBRcbVUcQ27yLCLeqzkpokLAvU2l9"
    "UgV2y9XLMaxay3K8eiN+6pAklfcw6SDriiGZ5szkpRT3c+IgB6wkrW+3XygE5KO2GDZLTS"
    "QWil0WgpLPmphIbrfVMHSua0GW+fepNed8n6Jtiw59lQgRcmQ28UXeAFQZ2sgI6d4TO6lc"
    "5UVq9EQMPFq3mGkic8GFQ6r+PmOk3o5sxa/IeopHZVbDKS0AnOjtcHsoInZy9UFohUQsMV"
    "ovmS2s70P2jmT9ZIkCxfcU52Tkq7g2pOntVRI2krKdD8Xh7psHwe4sWcVLAuyul3FkXzSj"
    "s/zmkfsEuCBu2H0XY95DmWtQ/eAlHtql+1B7jIbpFqI3khjfg7jWl4w6rS2OmE1rdII7JX"
    "zDE/V1WBinL6bRStaEERbBPJ6bYP4j3R6pTbDgDvb1hw6Mw3U/bzsct+9jL4OlCCoWA2Nw"
    "CsKaf6WFHtqNCcIKSdlqCTx7ODtE2tk5njuPMUsT/jlJuXPPpMXxEvEPHHILB9bLFqGd4O"
    "zFaBvWY1p1aMPMni1XEYW3xmc+NPMGHwwfmFTRi85s7bvMsh/sTKEMt5fVkZQ+07gNoXr3"
    "YqobyMiDlobNienm4XEn1dPWHx1X1GPS9pRr0voy6g+ZRK7vbXAWJ40YYXXcs2l1uQmS2N"
    "WTuNFCd/xXrSCPBW60pnIZPa2gmiDxnck1nSsl61ysBjHUSmLqsDbYOwJ3BEPyz6xqzaMz"
    "VvAbOcppCgyEJml1KbmtrInEouKbrSylOE5nfqduBzyFjfw7C+w8Gqb5wk7XVixjVmnIgL"
    "RFxiG3o7ibYiLhHB0z4GCGjV/Iws5kTvpBrJ5Zt3F+//mdjXifJ5ffPux0uBhX35z9uriw"
    "Lm0fKruozkxHSazB0sKBXKY7oNHKg8anfaSlF5zE3APoUfwlNcBBpRcryLXBeCSZMasYfw"
    "3FrgBRar+8ZA5QUa4gMxvgczyyGIZ8OFOgpvSWci9Igo0nBwf6bGXI8XnSothg2kUgQham"
    "/cA3UIEiwmh30lilVWRkOQz2tgfC6F+LwUoQkLYpYBvkWfJetHRkQLfKu8lle/3lbHZXJ6"
    "Y9y8GKwpJE+4aL+DnXOCGrqTh+s+LkcNwv1+n1BRVtAkAvd4iNnnqJwClZFphLnXo/yn8z"
    "r0gXM5feC8RB+gNgUF30Lz5V6fkkC8kw/KLJp7flG5AZsqfVgCUf2o3s0nctLBc6x7ZbQL"
    "Ygbph5GmbwWtPYkERVmzivV5FSOB69LuiBLzKi9kuFel8EZv+RhDT0gZGh2jj4T+htgYtn"
    "PwKd/cUf7OMUd8K4UcOGCysEOM5gOhh4kdt6sRf5g5mw07/dOxGS2Cy4vCCrJmJlow0GjB"
    "Hkas8fb1X+WjN1dqicmphBY+9LatJx99Fnw58hhF3F4LcLsOUITbmepGkZUypJamSC0Jq+"
    "FADTwhUAxsEOpq4NnZ1ytGi4tvnTWyhdplfK9auXQxVfTiZjV0S/aUOeAinIQS3iYvAZUj"
    "YIv9FU9/DQjyviFg6UEK9fdUxbR2/HpYCo/xbtlJiCKttPkHiGm9VJ7d5KgdxOn9WpTbA7"
    "0tcrWV/62g3cTttdh+W9dt2Ic0WUGyUoE4L6VdMcXmYTbZm3Loh5nHVyd704LEnwT7UTGK"
    "sibs0mcb3EP3dEnc76zfrKQZ5T6PMlMKhaapPNsildDJLD1I16vKooi07kNzKKJuBgZu7Q"
    "yKdFL1ytoM5ti/sn1PeOhm5u640uJk7SYoafigzfnLygFzzLIboD9mwYrtCs9WIKz3PeZJ"
    "D2Ow8JxNeLrQOLQRWWtAlwY6gE/Be2fLzxoKzURG4S4Znq085ZONbTqWPisKZTuAHRQBXE"
    "jlwuINBDjsLE82vITlbUjP5zThl74408aDDb8YIu6+tEFfMfgSC+jHCWnebr7HgrxiObZR"
    "8+48P6NRJ8A2nHdDp6Bi0ftUwsza2ieUcIwUQC6IaTeLT+oAfSIH+kQGtBoxLyfU2XTuCO"
    "PjWgW5jysKch+XC3LT7ZDRQ5UWjFREu3ncChOeva8CvqmEhmGO5k+VY0WPA5WjR1IBc+yI"
    "iBDtQ2yV4ZQXVk0lui+rOvrLIrC5AgOmAbZ8anQ/ZY/9a1vLRQWWjRVbLXnRHsfp8yMLsI"
    "8E/p7wxriygBjzYy2TdnWqdjsWAs49YsUtyMxx0cuwcLa/YkUvju7uPo0+je7unowZY9Xx"
    "ltDGhHOW6QXgoSWbArwyRlQEXVi3u41nNOy0+Vo8Nq1xCtggK223jraFM5rXyvlXM1nTX6"
    "cCcV6qQ6URWlZHunmdlJljecrMcblECcdM8QSXjIxRzR9UzU3Mz8T8TMxPpv5dO0ts/0A1"
    "+8BDIi0wd79SGbRYy8ki07RWOdmt51CtzIWEbB1vPgbTHYCzmRPYPmeK8jNUIl8EOGLzgl"
    "oaG0YEDdtQZYzIasg217UJ2Q00ZNc36qlOTvJ+OhW1QtgEnDUJOPfE2cN38w/Rudey3f5D"
    "ei72Q7t95gjtOt6fqedsw7QOLv6S1zKdOc4a07+g52FEmNsFzTzks7rtBGXSPVhbLDyora"
    "luG97l5ctgk7abhqx7+XY+I95CBei4vYZen69lP9fIE2FySOTQa55DQhCy980hychqOPID"
    "GelaVEL02cW0u31qtOUkjf7e51E2DmXjUDYOZenhZIRbTuVTyaLRqGYT1LUkXeSRMExPhV"
    "j1NBAQFt1n1tzCQkhYeaCekIn09yvS/7guXA3N6xTaODSiXD6gJKhfDd+TWjzckwoe7kmZ"
    "hzvHhP12UUjIcSwEbQn3LiNWPG+NyrW1ySVXOj5v7ebmOqcLXr4plp36+Pby6v3RMYeeNs"
    "J+LhyUsb2cGUvN5idDKtteBVmT2d1npRxaFhWY4bkncGDJWa0FsX5QW9nzBk1tzTm9WGWt"
    "BX0j5LlepN7Udt8KZPXbab47q7HRfHcm3WfYLeNoNI7GRCmbraC935knki7M1te3rU8hnl"
    "woFXZohfBM1cGBffoyx0ruIwrrDR6GUZI5oSNAUcj/QIiKRAMtkQqmSecHwvUh05VOcLXp"
    "iHyNLMzSfkYCZ2Ryb1zlkLQdHy92zLWaNq7FaeWCeMYHFfgOcOi1KFT+ErjInjOvIzcsAU"
    "G2PwYeogCyA35ZzRn28//kLBZjwMi0odVf4rY2+4hPNlz4yOMFVqHvo41L/+Gx9KiAFcvx"
    "QHrADDj6PcDIBysn8AjtNqHNPgm75scTI0jkeVO/0Y3IxTO+YWYzubPfy2EVWw2/lt3rgl"
    "+bjGRdky4R0JCS03zW84DKIwzYDc6MHRsJHIQVnolURMOJ3HS1moEQyzrD97RWbOG0IrZw"
    "Wo4t0O2TffcqKGdENES5lQjO1JkLzrqUHyUSt9cC3yqvSRtHibAEfKXYbyLQXVWgSNduy1"
    "1fLA5UR8OoKg1UTjEJtf0yyvKjWjIi5qjJYsjRpkvBxPd2e3hfC6KGBdg3r2uJ1os8T612"
    "ZF5Kv1hWK5qN5SxVYrpRcxPLbT6Wa+KKX2FckfkP9xjyjJiJH/Z5J8v6XdV47QJJU2zvQX"
    "o7KQRzDqS5K8aGeoZ1Xba7YKrlWO/0PcC7j9fXj0V7z42CIOJUHKUHo07FWVKHFR+dmbfF"
    "ZMViQlNE/7Tm/LQDFh+KnJb0/4vwNGgCsB0XyQvPPmBp0vfIw/4OBK6IQ9/GIwzjvl+Me+"
    "MPN/7w4VuNG16fIlxpVKAuynWY2E63IbszX2LDk9rUjDQ1I0sodwNx8xFh+lYw5WQpZOrk"
    "BU2ujkKuDqcVTTitSGVmF8S0m9zHx3XWj2P5+nFcOjEYb9AfVFlXQTkr0yHEH29fDXUJYd"
    "27yOMzU8FGKYp1F2A7GUqEjR1ldC+YvZULcyrU4aIcG4WDXZNNqQtT6qIHzr8DSl1kjzzh"
    "NG6MDuTiZ7njevhaW6bhs0obH/l5qCMhFT9zf1zlGJ3zlpMgbVqLjB+KcTcl81hi9jFZFv"
    "dWenQmQYJect773NnalgNZozU7CzYsIrnZsCrRPjsGlveA/XHJK9rKUz7Z4SUEGGcAuJ6z"
    "5IWqMTuP1nXYmbPsLBPHh3d37HwTOsamVvWgufSeY1lOIGZ7V41CXq6lAJyuw1HIjlSyiW"
    "IBU2nmQWsoWuIUvVZ5Kf3YUs/ruL2fy73ez0tObxZhm1DthAhdV3Kki3LauVFO67hhT+Vu"
    "2NOyG3YA5GTaMkDzbhBuPvvJFWUzSLdBV5jIYBjJozAbU2WmphLarQMnZ3WmKW0lTwo5K0"
    "1Uw4uUo68vLzI0RPcZ9bykGfW+jLqALlmq6jCnv8zCouhJ9Zhn5TQc8eGOcPnDXmAbk9Ve"
    "X3ZB1BCf+zzOkUNRzSbNCemXXd+8nRS5P9XdWjk5nYJJHTi2KkJOEa4NRJ3epz0NbCDqBp"
    "7yc1AceyqvKA1A+zrpaFiLSV1gc6ton8rXx3NaEKnKTHd5kCrzddVh7BM6K9A8HyKi74YX"
    "iPgAfabS1g5AErULw0Xs39APPNrhdoU8xC9OA3tuIYCJiLTf0lOEtZ1iLmfsTDSFnHqzKY"
    "wrgk+qxN3uKbudqUDNOzL3cMg/ii9+wFrmaltGV54iHrbuPkP8cQyzVnLBWZrEHvO6IGbm"
    "dp1IE/5DRHes2BtjCWM17U0HCE+IVYrvJRIazurmKQFrtFN0vaQSGgLcvNYRa/hliOXlyr"
    "IyWoDcecmy2GxSWjmyQlrAnp/bZ7WS4M4qsuDOymlwUZlTuiioQJ2X0hDrVqoe2o4vok3L"
    "15FEQAMCQddLSOAygjCaT6ZKM7sgpgHw5jxuE8AfN07b2EF7vdeg5wRNZLfPkV02VBN13l"
    "tBTLsltDHdoBRerJOAFbKeDs6+yqcLDWxdlaZg5SLmYULHgUi9D3vRCaRWA38RXKLAX4pk"
    "ReAv06hG4C+KxQEmhubsnBWWNgaBD70l8lnRrC28R+R7HqvjzHGwgbMVttE3hB9kjQnLAE"
    "s45YWIX5Pdf7KP+OnYf44+4D/H8/OpuwNwfs8i2SwvzaSfDcDB2ddzth9b3y2UWa9XZ72q"
    "0HrJhg4/PZUoVSphIlUHRKr4SqeCeyJgYD8Q9skSuhOVswXyQt2Fr05fPBtKOs+W/g5HKd"
    "qdSvSjJjp7rDY10Ukwo+oPmaglqxWkupvo3w1lmvNDEhRRzcl0h+nxUDBdCjNW5QtH3N4s"
    "G80vGwPIHvYCu7typM3Hv03ea9t5r0xbU1Tuul2Zh7Iwc7WXfuHefuEogbiJT/Q5PrFC0K"
    "KfpcJWnEqYzbjxzTgO56oF3PNS2u0YJt5u4u2mTIIZ9VpbXCmGie6hFew57kVZo8v0Z6DL"
    "37eplvB1jLPJ4zd5/H0biCbz+OtQmIQn0e5ByrkO+9EE7S54OQwxOTUnwvNBds4kGsCHGT"
    "q/sFrMEERyYI7ngNVj3q524IjHh0HkbxkDFwYEkTGga22wQeTJGCwcjxNrXPqTyvn4zXZt"
    "+DY9Xr7HQM63UVeXtLWDdFKTfPRZMLAVVaSj9hrSqFo51u8Rq6T3Du1eqKEp7/VQNVQ7wn"
    "JJDc3NwT6VPfqbM72W1T1K7lVqWP9xphOF0ke/rBzgBTZhxwFTaCkMjg1oH2MQ2D62WM0h"
    "G4S846e8WxL+9YQiC9f03nTHD9fA0bQqn8rR+BM+2R6dllvEVDXMqiD5gJ0EQ9WzsL1zj7"
    "ywV8yqKrmY7iqHqmiPS8rV8EgCuT62cqy56DAmOdiphIabdwuHaoafxD4O4ZykUYB7pwAr"
    "5IO1uYtduC6ClmgPi+5U7mAwbVOncp/PXT3f0P2Fy/ET76mhfo/RltvzzEqnsNJJzNp9z8"
    "5o8nZUDLkAE7BGri8s1ddQt8Yt0GN1umobUuMgdM09GPD2ww4TQrZSNZyMiBYQd13JwhA+"
    "5LN9mKH/OoSP/lGbBRwqxw3PbhsmsZlu//dqtkpWxlDVHtwsUg1LZb/IS2kAc9cbxhQtHF"
    "HpNDkvNpU4iBc7HN5IKwTYaHXYZ6cuiBoOT99s8/w4MztyDwpPRsyETppj8DBYm4icJB0N"
    "bBjq83cyE7BPcZNXKzRbsz3mFm1cC4qPOC83Glf5oWZx84mfbV/rsPOotHboNUo6AnFH3w"
    "NoAzTHPvMVQWCjLfCcLTtHfAE32Nrd3Y3B3V3Uyd3d/xw/KbmoWnlKeNg5BAvMy9WkXa4R"
    "cgk/eiJ+Ju11C0nccov9lfwsivBx7LY5jaJ3C+O4wgmWDlxd+yaV0MJT0/Y50dLK/dIJLi"
    "/aP2gNoLEUTlM+qd3ySQR5/MgoDpQCzkU5DfE+qVfVsaKoYxFs+gYqRnjU3JRLMjmofXfs"
    "mZCEHHq9QhIKnISiSX5o5VXdzPF2EzxCtETJHQmOVectJm1qkDZK9iVLp2Akv0hLAEcQrL"
    "FD1vQC4eYmT9WISBlPRISNJro0ZI2B2qnRKCqeY5SX0u8M6RbOimIf0CT6gFSgLglqpyI1"
    "7xvo77HojwZyC2f6+XCxUFw0QgHtwG1+uYA22SJPqeZvRsSYsYeYsSFlTgn7rEw/qlux52"
    "lT3WpDsCDGaDlQdgZg2L4wEgsmUGMMhhO9f33z8fL6Cvz8/urVmw9vIuATq5XfZJfoBRzG"
    "Gt9fXVwXsF1ATLX/CX0zH89C8njdWS8QNZO/8cnfPzJiuc7qAtvh+A+TjMgMcFUyYipj1B"
    "nNfJad2p16uSxN2TydR13A0CuVzYspNMoUvYKgTiH6xyXpZTlYB9L0hDywgY1JXcZeYT7u"
    "X3IrTIM8MCKTpn9qAnerEZkL5OHZaiRKow3vjCvTaNM2D0Vk5DA0HBH5WsIhB7KZ5IEOKV"
    "9MruTLCWNacG7OzuqQbs7OKs5TOCv5LelHpYBw1FxDdFthkNEn+sIE4CrPZCJivMKKXphH"
    "rQnx5f8BrwbZSg=="
)
