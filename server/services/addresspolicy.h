#pragma once

#include <QHostAddress>
#include <QString>

namespace Outpost::Server {

// Where outgoing webhooks may connect (no server-side request forgery). Checked on the
// address a connection is actually made to, after resolution, so a name that resolves to a
// private address (or starts to: DNS rebinding) is refused too.
namespace AddressPolicy {

// True for globally routable unicast addresses; false for loopback, unspecified, private
// (10/8, 172.16/12, 192.168/16), CGNAT (100.64/10), link-local (169.254/16, with the cloud
// metadata address 169.254.169.254, fe80::/10), multicast, broadcast, reserved and
// documentation ranges, 0/8, unique-local IPv6 (fc00::/7), site-local, and IPv4-mapped or
// NAT64 forms of any of those.
bool isPublic(const QHostAddress &address);
// Why not, for a delivery's last_error ("loopback", "private", ...); empty when public.
QString refusal(const QHostAddress &address);

} // namespace AddressPolicy

} // namespace Outpost::Server
