from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True


async def upgrade(db: BaseDBAsyncClient) -> str:
    return """
        CREATE TABLE IF NOT EXISTS "release" (
    "id" BIGSERIAL NOT NULL PRIMARY KEY,
    "kind" VARCHAR(16) NOT NULL,
    "version" VARCHAR(32) NOT NULL,
    "hw" JSONB NOT NULL,
    "min_version" VARCHAR(32) NOT NULL,
    "size" BIGINT NOT NULL,
    "sha256" VARCHAR(64) NOT NULL,
    "key_id" VARCHAR(16) NOT NULL,
    "manifest" TEXT NOT NULL,
    "signature" VARCHAR(512) NOT NULL,
    "object_key" VARCHAR(200) NOT NULL,
    "notes" TEXT NOT NULL,
    "uploaded_by" VARCHAR(64) NOT NULL,
    "created_at" TIMESTAMPTZ NOT NULL,
    "yanked_at" TIMESTAMPTZ,
    "yank_reason" VARCHAR(200) NOT NULL,
    CONSTRAINT "uid_release_kind_dec3d8" UNIQUE ("kind", "version")
);
COMMENT ON TABLE "release" IS 'A signed release: its manifest exactly as signed, the signature, where the bundle is.';
        CREATE TABLE IF NOT EXISTS "device_update" (
    "id" BIGSERIAL NOT NULL PRIMARY KEY,
    "rollout_id" BIGINT,
    "token" VARCHAR(64) NOT NULL UNIQUE,
    "command_id" VARCHAR(40),
    "from_version" VARCHAR(32) NOT NULL,
    "state" VARCHAR(16) NOT NULL,
    "pct" INT NOT NULL,
    "reason" VARCHAR(256) NOT NULL,
    "created_at" TIMESTAMPTZ NOT NULL,
    "updated_at" TIMESTAMPTZ NOT NULL,
    "deadline" TIMESTAMPTZ NOT NULL,
    "finished_at" TIMESTAMPTZ,
    "device_id" VARCHAR(32) NOT NULL REFERENCES "device" ("id") ON DELETE CASCADE,
    "release_id" BIGINT NOT NULL REFERENCES "release" ("id") ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS "idx_device_upda_rollout_2e2be7" ON "device_update" ("rollout_id");
CREATE INDEX IF NOT EXISTS "idx_device_upda_state_590d47" ON "device_update" ("state");
CREATE INDEX IF NOT EXISTS "idx_device_upda_device__ba5e2f" ON "device_update" ("device_id");
COMMENT ON TABLE "device_update" IS 'One device told to install one release: its download token, the command that told it,';"""


async def downgrade(db: BaseDBAsyncClient) -> str:
    return """
        DROP TABLE IF EXISTS "release";
        DROP TABLE IF EXISTS "device_update";"""


MODELS_STATE = (
    "eJztXWtz27i5/isYfal3Rs3Et8RxO52xE+9u2sRuE+V0201HoURIwjFFaAHSircn//0A4J"
    "0EKJKiaBLBl1xIvCD1AATey/O++O9ojW3o0Gd3ZGm5iFoewu7oEvx35FpryP4hvT8GI2uz"
    "Se7yC541c4QAzrecUY9Yc4/dW1gOheySDemcoE34rNEVmK8s5AK8ANQTchQceSsIPOharv"
    "fDM96NjeesH+QuK0v4LvrNh1MPLyG7RZjcr/9hl5Frw6+QRv/d3E8XCDp25kcjm3cgrk+9"
    "x4249tb1fhQN+cvMpnPs+Gs3abx59FbYjVsj1+NXl9CFxPIg794jPv/xru84IVYRHsGbJk"
    "2CV0zJ2HBh+Q6HkEsHL5BcG02nt3eT6cebyXQ6KsAbSaTwCy/NGWxsaNirUvHrl/wV/nhy"
    "fPby7OL0xdkFayJeM77y8lvw6ASYQFDAczsZfRP3Lc8KWgiME1DF3wVYX68sIsc1ap9Dlr"
    "1yHtkIx/5Cu7a+Th3oLr0V++/x8+clQP7P1YfXP199OGKtfuCPxOzjCb6s2/DWSXDv2zc+"
    "fxf3KbD5hZk1v99axJ5m7iTDQOCSfy/FkbgOBX/82wfoxJ9vDv1wOfggOmkyDtGFZCCSVa"
    "GDkfgWzbLoajgTBJb4BKvALN5an6zzVyzXWoqfxJ/Nn5RFS7KsJjiqF1SStKmwlC4J9jeZ"
    "hRG5FNkQWGy5TC3NskW1lqxkef21sPiLn/sfs+x+t8vuE3/uB1p4x6lJm57y01ozWCK5ez"
    "oPAfQWZnRha5MDXkT7R0wgWrp/g48C9LfszSx3LpvRCs12YGCrNjR2mVjbeJGVTTb2D4YA"
    "9IIF4erj66s3N6NvVXSIaH/YT4n46FUFPfxBfcf8oEpEhJZEi0gBqVYjqFfLJFtaNFIDLs"
    "GWbfAQ2PABzSEFW0zux2CLvBVAHgUOnlsOwBvoMszACvuESpWLvTts2aBTb4HStXj4dseL"
    "swq734sz5ebHbw1d1xiNhqtpeGgNf8duLYTTMh2i/Gnyuhug25rTKfUiWHemYt2pA3VBUL"
    "9ZfVxlUh+r5/RxHuzAtq2nNmdkGinMPVMnDqwvJ/6DPTXlyk6fnuFbVUXOTKzmynGo1eyn"
    "G78RneiDde6rn2Nis2729kKG/WiE0yFNiNd4ze5lNePcrVITYp5qVCWqEzQHHgZWqOtfAo"
    "a+D+0xoND1AH6ABLz/x2QyBpZLt8wmsMERJgB+3SD2b3nkp51ejTGxny5wVkXBPVPrt2fP"
    "dxkTeFNP+9LVafmiitL1Qq10vcgrXRaRLbx//Xh3K4c2ap8D10ZzD/wfcBA9mJNy9OeF78"
    "45fmDmI8dDLn3GH/uXQ+m7JVBzfHjPa0p/c9IQH72/+iWP/ut3d9cCMky9JRG9iA6uc0PB"
    "HSK17LlY4FAzvbCijIK1tRsL46LCXL9QTvWL/EyfE8jBmFpeEeM37A63juU4ZyXzMz8UfR"
    "b9Y4iLDPuB9p3rPCYKmgr4ydv3Nx8nV+//npn+b64mN/zOibj6mLt6lF+Q4k7AP99Ofgb8"
    "v+Dfd7c3+a8kbjf594i/k+V7eOri7dSyU9Mzuhqhlhn1YJ+nDUY9K6nhqA9klCNMSoeZ63"
    "oNxjgl1sIA99Os0GJ8bezCBuObEjPj2+fxxfcS6x9jB1quQsW/lwzqjEloNY7Xd3fvMkN4"
    "/XaSU3g+vb++YTq/GDvWCAVOqogKkvazUP7WNVT9RGIvZX84aB9Eq4eEYFKEfQK/KlzasU"
    "AjrX44aE9ufpmUox0vUe/ubn+KmueHIIt24AOSxhDUdlRGqDNbqjOnwelJBUPq9ERpSfFb"
    "pUEFO/ZP7xlUqOzo7hneVYMKmYlWN6hwSGdwCLzEF5wMidoVnIx/FU8wj6xQTzhiZ5a9hA"
    "ATcI8wvQfckys4H2zgqQfumbLgCpoIlPl+G/djvL19WE/GJd7ee+TWAjpqr6HHt2Un2Gpb"
    "B9egtXbUhbYmcALrohasCwNrNVjnkHisN3cJyYaEdI6qIMtkddCos5i/Oq+A+atzJeb8Vo"
    "5YZtULCEXt+xEQ4s/TJiCEXQfJGH7ljpFYqJlzpIlqHY/NYL0jXDv06ZRAi8roUeUxuIyg"
    "dst6+6zKELMG7vq0oHHo9tmh61jUm1IIJR9T+RhnBM0Y93mM7yHcWA56gFOJxqCk7OakDG"
    "m3uBuxrVqyNl6jpRLUSEIjNF+dnJyevjx5fvri4vzs5cvzi+cxrMVbZfhev/2JQ5z5TIqY"
    "LxxrU2cax+27S9N8PpDpK5ZwDzoS1VVtR2SETMCpudUggJwzhXXJE1DqK1kyebMP93kfFi"
    "MW8+ibDnm+AzPmfR7zLSbulCJXFncrH+yspBnlPo/yCloOM8JrbKOJRD8ccloxtA2FWK1D"
    "6kshtiFPM0KUMkgaDb60A7Pw9nnhDYtT1CQSZaUOFG0aes2IEiJRqizJnkyiNsvJ9JFJlJ"
    "1pzfOTwwTKPXNvUwmjA9u2KqUoe9ZySvC2lSzuiVUlQXmQMMEHyJvvBdIN70NXgLh3aw09"
    "8rgfRpN0N1rjJMqnOG3B9XPcmY6gPUUdhUEC5W8cbO27430SnegKkeVAsu9KfsX70BUgf8"
    "PNtFYUgk+iK52AOjxRnStRSq56qGHtoqtPvbDdTsr6nQt5HeSowMgfKOCctzFYYAIWDHxe"
    "mDCqXjh75DcBcsHHf7wDR1++BO/0jEt8+QIQBdyvNB7lED7EMz672xWar3gj5EFBiv97YC"
    "VzMTaFyCOw0WIBCVO5nEdlJZRfU/x+jtleFZzLYtiaFXHuJH6t5tCH07uq6yJsbrKfdrOS"
    "+5tj9oRE5O8zyawXG+54KFlmgXEv2bhjq1+9acO4SaX9OsAACClgUcCsI4geoF1MJNvZuu"
    "V0MbMDdrUDRqPYIGKTE+0mXvcEfmY9YjXwt3qfWSig0/kKHZMlpc6BEsQ93ai+XePNIauj"
    "zYftNVQ02y+ByDeQIrhqik3UvnuCjUYs1f4aUUM3VYdmQ/UxvN5bEyqJ/UnMqExgUG1KZc"
    "KQ1cypWASsIaXs1dJWEjgK7afgN4B7uBFWFP/sJVWbW+jPmGS91luMSWZMMmOSGZNMa7yN"
    "1WCsBmM1GKthUFZDSIErsx0SllwFCyJF0NttSMSPADbeutRabxym7G8gieIvnKLAO7wUtA"
    "dozVfsh6whQfPAFADuGKwR/8P6OgbUXxeNiwM9YwctgndoeBF92qfVJogYq5q2RySjYd6W"
    "TlbHHPuyGnHKDytur5PZ0VoVB55iUqsSXCxgVFwtVVzDLjLsoh4ruUnigkS9zWQ1qBVbkm"
    "lWoZj1doUdduOBKZDsNW0QdyAUzeBkc16KevboQQosIq1k3ayTHTop64QPktFKB6GVhqNV"
    "Y8lPJDRc79s6UDKjzZAm9SZJd8n6JtjQ8GwonwTJ0OuaLvCcoE5WQMfO8DnbSud1Vq9YQM"
    "PFq32GEpEeDKqc11FznSZ0e2Yt+l1WUrssNhlK6ARnx+sDXVkn5y/qLBCJhIYrRPsltfHs"
    "f+Hcm95DSbJ8yTnZGSntDqo5eV5FjWStlECLe1mkg/J5UBRzqoN1Xk6/syjaV9rFcU5NwC"
    "4IGrR3o70hkGDHaYK3RFS76leHA1xmtyi1kayQRvyd1jS8YVVp7HRC61ukEbor7pi366pA"
    "eTn9NoqDaEEhbFPF6bY78Z5qdcptB4D3Nyw4dOabKfv51GU/exl8HSjBUDKbWwDWlFN9qq"
    "h2WGhOEtJOStCp49l+0qbSycxR3HkG+Z9Rys2liD6zV0QLSL0x8F0PObxaBnkE85Xv3vOa"
    "UytOnuTx6iiMLT+zufUnmDD44PzCJgxecedt3+UQfWJFiNW8vrSMofbtQe2LVrs6obyUiD"
    "lobNienm4XEn1dPUHx1SajnpU0o96XUZfQfAold/vrADG8aMOLrmSbqy3I1JbGrZ1WipO/"
    "5j1pBPhB60qnIVPa2jGiuwzu6TxuWa1apU94B6Gpy+tAuyDoCRyxD4u9Ma/2zMxbwC2nmU"
    "VhaCHzS4lNzWxkQSVXFF05yFOk5nfidhBzyFjfw7C+g8GqbpzE7XVixrVmnMgLRFwj1yKP"
    "Cm1FXiJCpH0MENCy+RlazLHeyTSS67e3Vx/+FdvXsfL57u72p2uJhX39r8nNVQ7zcPmtu4"
    "xkxHSazB0sKCXKY7IN7Kk8anfaSl55zEzAPoUfglNcJBpRfLyLWhey4iYVYg/BubWA+A6v"
    "+8ZBFQUaogMx/gTmDqZQZMMFOopoyWaiRags0rB3f6bGXI8XnTIthg9krQhC2N64B6oQJH"
    "hMDnm1KFZpGQ1BvqiA8YUS4otChCYoiFkEeAK/KtaPlIgW+JZ5LW9+mZTHZTJ6Y9Q8H6zJ"
    "JU9sYLODnTOCGrqTh+s+LkYNgv2+SagoLWgSgXs8xPxzrJ0ClZJphbnXo/yniyr0gQs1fe"
    "CiQB9gNgUD34H2stGnJBHv5IMyi2bDLyozYLNaH5ZEVD+qd/uJnGzwsPNQG+2cmEF6N9Ls"
    "rSynIZEgL2tWsT6vYtTfbFh3tBbzKitkuFeF8EZv+RhDT0gZGh2jj4T+ltgYLt77lG/hKL"
    "/F5ojvWiEHAZgq7BChuSP0MHWjdhXiD3O8XvPTP7HLaRFCXhZWUDUz0YKBRgsaGLHG29d/"
    "lY/dXNVLTE4ktPChH9p68uBXyZejjlFE7bUAt+sARbCd1d0o0lKG1NIWqSVmNeypgccEio"
    "ENQlUNPD37esVo2aAJvoeuVLuM7pUrlxvEFL2oWQXdkj/FBkJEkFCC2/QSMDkKtshbifRX"
    "n0LyBwqWxGJQ/4mpmM6juB6UwuO8W34Sokwrbf8Bclovk+c3BWp7cXq/F+V2T2+LWm0Vf9"
    "fQbqL2Wmy/B9dt+Ic0XVl0VQfirJR2xRTbh9lkb6qhH2YeX5XsTcei3tRvRsXIy5qwS59t"
    "cAIf2JLY7KzftKQZ5T6PMlcKpaapOtsikdDJLN1L1yvLogi17n1zKMJuBgZu5QyKZFL1yt"
    "r0beTduB6RHrqZujsutTh5uymMG+60Of+5wsBGPLvB8sY8WLFdofkKBPW+xyLpYQwWBK+D"
    "04XGgY3IWwO2NLABfAY+4K04aygwEzmFu2B4HuQpn13ksrH0eFEoFwN+UATYWEwuKN5AAe"
    "ZnefLhpTxvQ3k+pwm/9MWZNh5s+MUQcZvSBr2awZdIQD9OSPt28wOS5BWrsQ2bd+f5GY06"
    "AbblvBs2BWsWvU8kzKytfEKJwKgGyDkx7WbxSRWgT9RAn6iArkfMywh1Np07wvi4UkHu45"
    "KC3MfFgtxsO+T00FoLRiKi3Tw+CBOev28NfBMJDcMc7Z8qx4se+3WOHkkEzLEjMkK0ZyGn"
    "CKe6sGoi0X1Z1dGfF74rFBgw85HjMaP7GX/sXw61XJRg2Vqx1YIX7WmcPj/xAPtI4u8Jbo"
    "xLC4hxP9Yyblelajd2IMAPkBe3oHO8gZdB4WxvxYteHH358nn0efTlyw9jzljFZGm5iArO"
    "MrsACFzyKSAqY4RF0KV1uw/xjJadNt+Lx+ZgnAI+yLW2W6xt4Yz2tXLx1Uzv2a+rA3FWqk"
    "Ol0XKcjnTzKikzx+qUmeNiiRKBWc0TXFIyRjXfqZqbmJ+J+ZmYn0r9e4eXyP2RafY+gTIt"
    "MHO/VBl0eMvpItW0UjnZLcFMK9tYlG4xscdg9gis+Rz7rieYouIMldAXAY74vGCWxpoTQY"
    "M2TBmjqhqy7XVtQnYDDdn1jXqqk5O8n05FrRA2AWdNAs49cfaI3fxjeO61arf/mJyLvWu3"
    "Tx2hXcX7MyN4G6R1CPFLUct0jvE9Yn9ZhCBIudsFzgn0eN12ClPpHrwtkh7U1la3Le/y6m"
    "WwTdtNQ9a9ejufU7KoA3TUXkOvz/eyn2vkiTA5JGroNc8hoRC6TXNIUrIajvxARroSlRB+"
    "3SDWXZMabRlJo7/3eZSNQ9k4lI1DWXk4GRWWU/FUsnA0ytkEVS3JDSQ0CNMzIV49DfiUR/"
    "e5NbdwIJRWHqgmZCL9/Yr0P60LV0PzOoE2Co3ULh9QENSvhu9JJR7uSQkP96TIw7UR5b9d"
    "FhLC2IGWq+DepcTy560xuUNtcvGVjs9bu7t7l9EFr9/my059en998+HoWEDPGiEvEw5K2V"
    "54zlOzxcmQtW2vnKzJ7O6zUm45DhOYI5tIHFhqVmtOrB/UVv68QVNbM04vXllrwd4Ikg0J"
    "1ZvK7luJrH47zavzChvNq3PlPsNvGUejcTTGStl8ZbnNzjxRdGG2vr5tfTXiyblSYftWCE"
    "9VHRzYp69yrGQ+oqDe4H4YxZkTOgIUhvz3hChPNNASKX8Wd74nXB9TXekE1yEdkW+gg3ja"
    "z0jijIzvjcscki720OKRu1aTxpU4rUIQzcWgAg8DzK6FofJLsIGuzb2OwrAEFLreGBDIAO"
    "QH/PKaM/zn/xEvFmPAybSB1V/gtrb7iM+utfAgEQVWLc+D6w37B+HpUT4vlkNAcsAMOPrN"
    "R9ADK+wTyrqNabM/BF2L44mhRdV5U7+yjWiD5mLDTGdyp7+X/Sq2Gn4tv9cFvzYeyaomXS"
    "ygISWn/aznAZVHGLAbnBs7LpQ4CEs8E4mIhhO57Wo1AyGWdYbvaaXYwmlJbOG0GFtg2yf/"
    "7uugnBLREOWDRHBm2Jacdak+SiRqrwW+ZV6TQxwlwhPwa8V+Y4HuqgKFuvah3PX54kBVNI"
    "yy0kDFFJNA2y+irD6qJSVijprMhxxdthRMPfLYwPuaEzUswL55XQu0XkhIvdqRWSn9YlkH"
    "0WwcvKwT0w2bm1hu+7FcE1f8DuOK3H/YYMhTYiZ+2OedLO13rcdrl0iaYns76e00F8zZk+"
    "ZeMzbUM6yrst0lUy3DemfvAW4/vXv3VLT3zChIIk75UdoZdcrPkiqs+PDMvC2iKx4TmkH2"
    "p2OL0w54fCh0WrL/L4LToClAblQkLzj7gKdJP0CCvEfgb2Qc+kM8wjDu+8W4N/5w4w8fvt"
    "W4FvUpgpWmDtR5uQ4T29k25HbmS2x5UpuakaZmZAHlbiBuPyLM3spKOFk1MnWygiZXp0au"
    "jqAVTQWtqM7MzolpN7mPj6usH8fq9eO4cGIwWsPfmbJeB+W0TIcQf5q8HuoSwrvfQCJmZg"
    "0bJS/WXYDtZCgRNn6U0YNk9pYuzIlQh4tyZBQOdk02pS5MqYseOP/2KHWRPvJE0LgR3JOL"
    "n+aO6+FrPTANn1fa+CTOQx1Jqfip++Myx6gtWk79pGklMn4gJtyU3GOJ+MfkOMJbSdhMsi"
    "i8FLx3G29dB1u80T0/CzYoIrle8yrRHj8GVvSAvHHBK3qQp3x2g0sQcM4A2BC8FIWqET+P"
    "doP5mbP8LBPsWV++8PNN2BibWtWD5tIT7DjYl7O9y0YhK3egAJyuw5HLjqxlE0UCptLMTm"
    "soXOJqeq2yUvqxpc6quL3P1F7vs4LTm0fYpkw7oVLXlRrpvJx2bpTTKm7YU7Ub9rTohh0A"
    "OZm19KHdDcLtZz9tZNkMym1wI01kMIzkUZCNWWemJhLarQMn51WmKWulTgo5L0xUw4tUo6"
    "8vLzIwRJuMelbSjHpfRl1ClyxUdbDZL3OQLHpSPuZpOQ1HfLgjXPywF8hFdNXoy86JGuJz"
    "n8c5dCjWs0kzQvpl17dvJ4Xuz/purYycTsGkDhxbJSGnENcWok4fkp4GNhBVA0/ZOSiPPR"
    "VXlBagfRN3NKzFpCqwmVW0T+XrozktiVSlprs6SJX6uqow9imbFdDOhojYu6EFpB6AX5m0"
    "8wgsGrYLwkX835bnE9bhdgUJFBdnvms7ECAqI+0f6CnS2k4RlzNyJppCTr3ZFMYlwae6xN"
    "3uKbudqUDtOzIbOOSfxBc/YC1ztS2iq04RD1p3nyH+NIbZQXLBeZpEg3mdEzNzu0qkCf0u"
    "ozuW7I2RhLGaGtMBghNia8X3YgkNZ3X7lIB7+FjT9ZJIaAhw+1pHpOEXIVaXK0vLaAFy5y"
    "XLIrOp1sqRFtIC9uzcPq+UBHdekgV3XkyDC8ucskWhDtRZKQ2xPkjVQxd7Mtq0eh2JBTQg"
    "EHS9hPgbThCG9nRWa2bnxDQA3pzHbQL449ZpG4+We99o0DOCJrLb58guH6ppfd5bTky7Jb"
    "Q13aAQXqySgBWwnvbOvsqmCw1sXX2SFKwrSNB8NZKEtMI747KIlpW02RXQUsNgSjz1q8ST"
    "iUgUeMFVTmFkrUp4wYVzGPlHVQPhsLmG6B5X2niOSzae46JRyp7oQdmBouq4T0rEBH9qBn"
    "9q7Pntb2bf/h/nVQKX"
)
