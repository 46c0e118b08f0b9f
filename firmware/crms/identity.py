# Installing a renewed identity (the `renew_cert` command, docs/protocol.md): the new key and
# certificate are written beside the old ones, then swapped in. The certificate's new file is
# written last, so its presence means both are complete; an install cut short by a power loss
# is finished (or, when incomplete, dropped) at the next boot by `finish`.
import os

from crms.files import exists


def _swap(path):
    try:
        os.remove(path)  # FAT cannot rename over an existing file
    except OSError:
        pass
    os.rename(path + ".new", path)


def install(tls, cert_der, key_der):
    with open(tls["key"] + ".new", "wb") as f:
        f.write(key_der)
    with open(tls["cert"] + ".new", "wb") as f:
        f.write(cert_der)
    finish(tls)


def finish(tls):
    # Complete an interrupted install; drop one that never got its certificate written.
    if exists(tls["cert"] + ".new"):
        if exists(tls["key"] + ".new"):
            _swap(tls["key"])
        _swap(tls["cert"])
    elif exists(tls["key"] + ".new"):
        os.remove(tls["key"] + ".new")
