# TLS for umqtt.simple 1.3.4 (the pinned release), which wraps its socket with
# `ussl.wrap_socket(sock, **ssl_params)`. MicroPython 1.23 and later have no `ussl`, only
# `ssl.SSLContext`; this module gives the pinned client what it asks for, with the fleet CA
# to check the broker and the device's certificate to identify itself. Certificates and the
# key are DER bytes: the unix port's mbedTLS is built without PEM parsing.
import ssl

from crms.net import no_delay


def wrap_socket(sock, cadata=None, cert=None, key=None, server_hostname=None):
    no_delay(sock)  # on the TCP socket, before TLS hides it
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.verify_mode = ssl.CERT_REQUIRED  # type: ignore[attr-defined]  # (stubs lag 1.23)
    ctx.load_verify_locations(cadata=cadata)
    ctx.load_cert_chain(cert, key)
    return ctx.wrap_socket(sock, server_hostname=server_hostname)
