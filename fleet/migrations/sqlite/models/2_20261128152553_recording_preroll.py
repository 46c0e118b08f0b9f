from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True


async def upgrade(db: BaseDBAsyncClient) -> str:
    return """
        ALTER TABLE "recording" ADD "preroll_session" VARCHAR(40);
        ALTER TABLE "recording" ADD "preroll_ms" INT;
        CREATE INDEX "idx_recording_preroll_995ce9" ON "recording" ("preroll_session");"""


async def downgrade(db: BaseDBAsyncClient) -> str:
    return """
        DROP INDEX IF EXISTS "idx_recording_preroll_995ce9";
        ALTER TABLE "recording" DROP COLUMN "preroll_session";
        ALTER TABLE "recording" DROP COLUMN "preroll_ms";"""


MODELS_STATE = (
    "eJztXWtz27gV/SsYfal3Rs3Yiu04aaczsuNk3U3s3Vhp99EdBiIhiRUFKABlxbvNfy/ANy"
    "mQIimKphB88YPEBalzIeDcBy7+7C2IhRz2bOgg6vZegT97GC4Q/yN9ow96cLmML4sLLhw7"
    "XksYNRkzl0JT9DOBDkP8koWYSe2laxMsmg7BDEHHnQG6chCY2NTGUzAhFEBgoQfbRH8Dpk"
    "MYssB6hjBwZ8hvaToIUvZMPMQiJn8Kl2uovxW2P6+Q4ZIp4rcp7/W33/llG1voC2Lhv8u5"
    "MbGRY6Ugsi3RgXfdcB+X3rVLe3qD3TdeW/G2Y8MkzmqB4/bLR3dGcCRgYw+7KcKIQheJJ7"
    "h0JbDDK8cJMA7h9F82buK/ZULGQhO4coQGhLT/AvG1nmHc3o2M++uRYfQ2tBNKJAAOLpkE"
    "C83yV2UeAFPxCn99ORg8f/5icPz8/OLs9MWLs4vjC97We9/NWy+++i8To+V35WF28/bmdi"
    "ReiPDh4w8qceGrJwNd6Et5yojRF4rcxP9qBqkc/bB9Bn/+wbL4h2gXKSC8EGsgHvJtqGAB"
    "vxgOwlN3xv99PihA91/DD1ffDz8cPR98l4b4Nrgz8G4JsGNwGXpA1HYfqwCclFEQ5IsSGF"
    "/kQnyRRXiBGINTyQgeoS8580dCRAl8CwAdXf/sTQgLxj47SSSP3g9/9kBePAZ33t3dvg2b"
    "J5C/end3mYGcLDk+lgHdTdBfc9Rce4HkwKcEM9BbgeSz8A/FFHHz/vp+NHz/Y0obr4eja3"
    "FnkNJEePXoPPM1iDoB/74ZfQ/Ev+DXu9trD07C3Cn1nhi3G/3aE+8EVy4xMFkb0EpiEl4O"
    "L6WU7K/3NZScEmxAycGKXKDjNtdslVTsUztDRr/yV6eU0L6mz1ZZ2B4ogKC6k7mUbvn4bS"
    "L+hlBkT/EP6NHD/Ya/I8SmbJEKLIrXUUeHhffXcESFV+PnU7iOzIP0QOMfn39o5PqDc3h/"
    "NXx93fNgHkNzvobUMlJ4iztkQDJXorabtxaDRfYKxJwkWMHnEG8dAH9FFvxe2oTJ3OoX2X"
    "lmolEJSy9oDlwSWWOvAFfkCll9wBB2AeF8Ebz/aTTqA4jZGlFupx1x4w19Wdr87+9k9l5D"
    "vTZs9eVPO03ON09r9KWmm9PjEtPN6XHudCNuFZt3ZFkFZr+1Eqw4DfTJeQmgT7KrcQy0uJ"
    "VmwZBO2Sa0/7y/u5VDG7bPUiLbdMH/gGOzDf9FUyD3/j5ZYVPgB8Yr23FtzJ6Jx/6j1z5J"
    "EvgUGyRZ2yNDfEQHWYOEL5VuJR9GJNAagen5c+u+EN+riW1SJMCoYwukJBW0+Hr8A1p32H"
    "kMdH4g5kEwPAutA3+dZzW0npZUUOsHouVSRqDgejV0nBBrxcbX+q2pX4tgVEO/CTGt3y7r"
    "l8wlwTNCHARxDsWfS5Q65hJK6fHy7u5dSoWXN1nP9sf3l9ec83u6441sNxUwSwTIEBNvXY"
    "HqxxI7kf3DQXsvrB5RSmiVuE4kUIvVHw7aewnqaGdwTzuDtTO4qjM4AF7iC45Vku8KjvVf"
    "xhNM0ZQvHJ4jdgytKQKEgrlN2BwIT67tMuBwxTMXzDlZwMBzcsh8v7X70d7eLswn/QJv79"
    "zGlYAO2yvo8W3YCTZbV8HVb90eqr12HIvNJ0hNKsE60bCWg9VE1OW94SmiSxqkRpYFWSar"
    "AqNOY/7yrATmL89yMRe30pi7sFpAKGzfjYCQeJ4yASGCHRtLeHWxYyQSquccqUOtI90crH"
    "dEsMMVMyiCjL9ehWlmQ1C5af38tMQUc36aO8WIW1Kwa7jrk4Laodtlh64DmWswhCRfpmId"
    "pwS1jrus4zlCS+jYD8iQMIbcfS8Zqe0bYLqv1GALzODk9MXpxfPz02jnS3SlaMPL5mrEl2"
    "rJ3Fi0mSiUUAjNVjYUJUw4By6rDOOofS3Iay34xwcyfL0p3EWyDVn5dkRKSAec6lsNHpAm"
    "J6xT/lY1SJZMXq/DXV6HPY1RZBJq7aDybAda513W+ZpQbDAby+JuxcpOS2otd1nL/n72Ks"
    "toLNENh5xSGdo6hTifQ6qbQiy8ThyNikklaak9RR6eLgjcjFewIKkkwG8T8spZJfdxTwcF"
    "eNmskvRIq5pWktgKJCq3SEzgy0DuzQ8fkBNBKcc6KhBzYNNXHtbp6d/fbbgjRIndlSqC5M"
    "KpQcl6R5D8tKMRnKoKE3pAeNcv27XoQ1WAInN0R5A+hP2oCpTwmS2QSyXVeargNEp2ozRO"
    "xoysqNMUXN9HnakI2mrpELjrivfR60QliPafiyuWvtx03GBd3JaRa7hBu61ZuXcYATKJai"
    "j8hQGR1tP3iudNOPiikJ5/i4Hxo7gJbAzuf3oHjj598t/pmZD49AnYDAjTud/LILyPZ/wH"
    "r2e2ORONbBd5eb8/+rafEONDiD4Cy55MEOULpfOYW+zht0QKs8Ds913ygXXNv2ZDdPlpws"
    "HwLmuRB831Bo/tiZfd3UbzhLmW3+Y+mk4suP1D2Ujjm2SShTuy1fIXbRQ1KbVe+xgATwpA"
    "BrjBhOwHZG3uldnaWle9PdAVMNRijYhERrSdkISucVi3vMXnal+zQKC93CRFvmoJcikzeg"
    "sQd1XLZmwbbwFZFTYftFeQaDZf5U0sIFWyCML27ecQKJSI110j6tBN1UOzoboYNe6sCXVH"
    "pxDbDAYffMOSSt3vFxlUJNuyTJ3aGcdM+CmDqDoDR+KcEBdhiF15DdrtEg3bV9+KcbVjQn"
    "q+2eT9rjAph+2VK+Vwclymci9vlc81jo+lM3KZhBNRwYO/3a7x3Wm55J6O0pF2g0txNFwy"
    "s6ZC5fnTKk01KzGnrmfE4TfEeTD8NS0QdeBFbNZ8RkRevZbxo4sYgFRa7qVeJ1uCPbwTsQ"
    "LqeE+HTMJCb1dFNh1LKGgmNlV1PZVzSetsyqb6lJSuexCtFfWzRBcV/VoZQe1RrO3hMvlS"
    "alaZvSIBBSev5n1cVFo9P3dch81VGtCN7eBl9h+yujNFAYdAQiU4W54f2AwOzs6rTBCxhI"
    "IzRPN1Z8j4v8h0jTmqdJBlWko5F8CglAtgUOACGBxvEEl/jyliTLqDJx/rrJx6BduaJ+1e"
    "zdM6YG8IarS3o72kiBLHqYO3RFS5bYH7A1xmt+SykbSQQkH5xhjeYW1lbnVAq7uTGeGZCH"
    "paVSlQVk69hWIvLCiAzcg5AmIr3oZSR0G0ALjOuNgEuvnNAboewlPUQ9CJLeGI2j2xRTKa"
    "GwBW15l4qpShIAdAGtIOswOK4tlRmxLB7Cklq2Uq3cfGzLbE7kOQTDiSxbAryUpD19mUJu"
    "/j7hS+/lZi14omE3WK1DWWTpTy2iaGvJRz5I5giaRK4YmdRnQB08jOMTsui9l8zQMDu+zq"
    "KBls9UsxheuDJAZXITWuSULSCcz3mhoXoiVhEQkg82lEgkiW4hGQhTTgVZC+FlY/WBM674"
    "O17c78Y8yICR1AlgiLbDdRvIRJycXOHeqD0bpgAx4212jpUJK9MA3hr/6DyE7cKdiGlpBp"
    "EeWPo6t2gN5DFN6fd7wqTJIFriAQnxVUb1SflBnUJ/lj+mQjKcqzbavR5pSMjp1t5cux/2"
    "BHplx6K0PH8C1LkVMDqz45DljNbty4tBf0QLD++tS1Ew8Fp32aEHENRYkRkSqwmG9GpMo5"
    "lqsEE4mABWKMv1qywAs4Ckq/+J8BzNHSKwAjdixL9jM20J+uJtPphFNdTeZb3wuiq8noaj"
    "KK460LnuiCJ53wCeqCJ12xPjtb8CRbSrzIdoirjZewIBKFzrcbEtEjgEXWmMHF0uFkf4lo"
    "WDpSbLMXHb7yKjYjaM74B1kgapu+KQBwHyxs8QN+6QO2WmwaF3t6xpZN/qJDvcW/S+t0vg"
    "ni6aqi7RHKKHiqlkpWh0lWWGJX5n6xovYqmR3N7dB1ocymyGe4kYCmuEpS3CdM+/o2OW4n"
    "3NkHQ3KDM2Ak3DY+HSaf0q7iNiVSa+LSUGMkfobOyVde9gt/RXuCmNsHfH2xHVESnRNSc7"
    "bCc3GwyEzQTMFDw0pTslybPTxBV6pSiMbqSlV73hUcfsWqMKCkjCZBO5CgcLarQOaTIu3x"
    "+eMDIfOHtRm73YlE3d3Yq6VVU+tpSa31rmhd4gfZyM3RFqS2IJW1IBNLmrB2Gjk39Er0pB"
    "Dge81AS0KWa2tHiG4zuA0zalnuSLIVFR0Epq447BMDvydwxL9Y/I3FkZ6iOr6wnMaQocBC"
    "Fpdim5rbyF6155z0tL08RWp+x24Hbwxp6/swrG9fWeWNk6i9jjSUTqW5tDGkj5WSabzK7A"
    "cIaNH4DCzmiHdyRnJ5czv88EtkX0fk893d7dtLiYV9+cvoepjBPJh+q04jKTGVBnMLE0oB"
    "eYyXgR3Jo3IHoWfJY2oAdir8wLw1fZMQievFTChsUSLwsESUEVHKA3AhL6FlxQTVEMRj4i"
    "DkgiNomogxwJF0KXH474XYnyt25vqEhc3GhH9a6UlDTXevjyXSlUS6Au2eN53yL0MlaMP2"
    "LW4xfbDR2p9qWtho2nj1fRNRl/eGp4guqS1L9Ck450Aiq17Fw5dnJTB/eZaLubilwwZqO5"
    "DzwgYb5PRpWNRQZOLOZDwquFPIpGDcZhuXytez5izd4iwPnJNWrIOeEFEwlDE4KzPP81b5"
    "hW3PNmZ68aWqgHDQXEF091L3RVhLSEZZ8nNJEiI6laRiKsmTLmZf/w/e+LYk"
)
