locals {
  # The role's ports (the defaults in the node's cascade-node.yaml). A cloud node has a machine of
  # its own, so it always uses them; 0: the role has no such port (relays serve no WebRTC; a
  # transcoder listens on no SRT port, its ffmpeg processes call the origin).
  ports = {
    origin     = { srt = 9000, http = 8100, webrtc = 10000 }
    relay      = { srt = 9050, http = 8150, webrtc = 0 }
    edge       = { srt = 9100, http = 8180, webrtc = 10100 }
    transcoder = { srt = 0, http = 8200, webrtc = 0 }
  }[var.role]

  # What the platform firewalls open: SRT (publishers, viewers, other nodes' pulls) and WebRTC are
  # UDP; HTTP (WHIP/WHEP signalling, players, /metrics, /healthz) is TCP.
  firewall_rules = concat(
    local.ports.srt == 0 ? [] : [{ name = "srt", protocol = "udp", port = local.ports.srt }],
    [{ name = "http", protocol = "tcp", port = local.ports.http }],
    local.ports.webrtc == 0 ? [] : [{ name = "webrtc", protocol = "udp", port = local.ports.webrtc }],
  )

  # Resource names every platform accepts (GCE's are the strictest: a lowercase letter first,
  # [a-z0-9-], no trailing "-", at most 63; Linode's labels allow no "--"). A node id that is not
  # already such a name (upper case, "_", ".", "--", or too long) is cleaned and given a short hash
  # of the id, so that ids which clean to the same text ("a.b", "a_b") still get different names.
  names = {
    for id in var.nodes : id => (
      can(regex("^[a-z](-?[a-z0-9])*$", "cascade-${var.name}-${id}")) && length("cascade-${var.name}-${id}") <= 63
      ? "cascade-${var.name}-${id}"
      : "${trimsuffix(substr(replace(lower("cascade-${var.name}-${id}"), "/[^a-z0-9]+/", "-"), 0, 55), "-")}-${substr(sha1(id), 0, 7)}"
    )
  }

  # The name of the deployment's shared resources (firewall, security group, resource group, tag):
  # several deployments may share a name (one node group with origins and edges, or in several
  # regions), so role and region are part of it. Same rules and fallback as the node names.
  deployment_name_plain = "cascade-${var.name}-${var.role}-${var.region}"
  deployment_name = (
    can(regex("^[a-z](-?[a-z0-9])*$", local.deployment_name_plain)) && length(local.deployment_name_plain) <= 63
    ? local.deployment_name_plain
    : "${trimsuffix(substr(replace(lower(local.deployment_name_plain), "/[^a-z0-9]+/", "-"), 0, 55), "-")}-${substr(sha1(local.deployment_name_plain), 0, 7)}"
  )

  # Debian 12 and Ubuntu 24.04 package names. ffmpeg only on origins (they transcode SRT
  # publishers' AAC to Opus for WebRTC viewers) and transcoders (the ABR ladders).
  packages = concat(
    ["openjdk-17-jre-headless", "libsrt1.5-openssl", "curl", "ca-certificates"],
    contains(["origin", "transcoder"], var.role) ? ["ffmpeg"] : [],
  )

  env = merge(var.node_config, {
    CASCADE_NODE_ROLE          = var.role
    CASCADE_NODE_REGION        = var.region
    CASCADE_NODE_CLOUD         = var.cloud
    CASCADE_NODE_GROUP         = var.group
    CASCADE_MANAGER_URLS       = join(",", var.manager_urls)
    CASCADE_MANAGER_JOIN_TOKEN = var.join_token
    CASCADE_HTTP_PORT          = tostring(local.ports.http)
    }, local.ports.srt == 0 ? {} : {
    CASCADE_SRT_PORT = tostring(local.ports.srt)
    }, local.ports.webrtc == 0 ? {} : {
    CASCADE_WEBRTC_PORT = tostring(local.ports.webrtc)
  })
}

locals {
  # systemd EnvironmentFile lines: double-quoted values, in which systemd takes \" \\ \` \$ as the
  # character itself. Values are single lines (the cloud modules refuse others).
  env_files = {
    for id in var.nodes : id => join("", [
      for k, v in merge(local.env, { CASCADE_NODE_ID = id }) :
      "${k}=\"${replace(replace(replace(replace(v, "\\", "\\\\"), "\"", "\\\""), "`", "\\`"), "$", "\\$")}\"\n"
    ])
  }

  user_data = {
    for id in var.nodes : id => templatefile("${path.module}/node.yaml.tftpl", {
      node_id     = id
      role        = var.role
      cloud       = var.cloud
      packages    = local.packages
      env_file    = local.env_files[id]
      package_url = var.package_url
      # An address known in advance is simply printed; otherwise the platform's way of finding it.
      public_host_command = lookup(var.public_hosts, id, "") != "" ? "echo ${var.public_hosts[id]}" : var.public_host_command
    })
  }
}
