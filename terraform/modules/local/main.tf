locals {
  # The role's default ports: node.sh starts its search for free ports here, so the first node of
  # each role gets the ports the docs and ./cascade up use. 0: the role has no such port (a
  # transcoder listens on no SRT port: its ffmpeg processes call the origin).
  base_ports = {
    origin     = { srt = 9000, http = 8100, webrtc = 10000 }
    relay      = { srt = 9050, http = 8150, webrtc = 0 }
    edge       = { srt = 9100, http = 8180, webrtc = 10100 }
    transcoder = { srt = 0, http = 8200, webrtc = 0 }
  }[var.role]

  # What every node of this deployment is started with, apart from its id, its ports (node.sh picks
  # free ports at start) and the join token (given to the provisioner only, so never stored).
  node_env = merge(var.node_config, {
    CASCADE_NODE_ROLE        = var.role
    CASCADE_NODE_REGION      = var.region
    CASCADE_NODE_CLOUD       = "local"
    CASCADE_NODE_GROUP       = var.group
    CASCADE_NODE_PUBLIC_HOST = var.public_host
    CASCADE_MANAGER_URLS     = join(",", var.manager_urls)
  })
}

resource "terraform_data" "node" {
  # for_each, never count: removing one id from var.nodes destroys exactly that node, so the
  # controller decides which node goes (the drained one, or a failed one it replaces).
  for_each = toset(var.nodes)

  # Everything the stop path needs: a destroy-time provisioner may only read self. Kept as it was
  # when the node started (ignore_changes below): a later state_dir must not make stop look for the
  # pid file in the wrong place.
  input = {
    id           = each.key
    state_dir    = var.state_dir
    stop_timeout = var.stop_timeout
  }

  # A node keeps running with the settings it was started with: changing image, node_config,
  # manager_urls or the token starts no restart (every node at once would drop every viewer); nodes
  # started afterwards get the new values, and the controller rolls a change by replacing node ids.
  lifecycle {
    ignore_changes = [input]

    precondition {
      condition     = length(var.manager_urls) == 0 || var.join_token != ""
      error_message = "join_token must be set when manager_urls is (nodes register with it)."
    }
  }

  provisioner "local-exec" {
    command = "bash '${path.module}/node.sh' start"
    # Values reach the node through the environment only, never a command line (ps shows those to
    # every user). nonsensitive: Terraform hides a provisioner's whole output when its config holds
    # a sensitive value, and that output carries node.sh's error report; the token itself is never
    # printed (it is not part of the plan, the state or node.sh's messages).
    environment = merge(local.node_env, {
      CASCADE_NODE_ID            = each.key
      CASCADE_MANAGER_JOIN_TOKEN = nonsensitive(var.join_token)
      NODE_SH_ENV_KEYS           = join(" ", concat(keys(local.node_env), ["CASCADE_NODE_ID", "CASCADE_MANAGER_JOIN_TOKEN"]))
      NODE_SH_ID                 = each.key
      NODE_SH_STATE_DIR          = var.state_dir
      NODE_SH_COMMAND            = var.image
      NODE_SH_SRT_PORT           = local.base_ports.srt
      NODE_SH_HTTP_PORT          = local.base_ports.http
      NODE_SH_WEBRTC_PORT        = local.base_ports.webrtc
      NODE_SH_START_TIMEOUT      = var.start_timeout
    })
  }

  provisioner "local-exec" {
    # path.module, not a path kept in the state: the script is found where the module is now.
    when    = destroy
    command = "bash '${path.module}/node.sh' stop"
    environment = {
      NODE_SH_ID           = self.input.id
      NODE_SH_STATE_DIR    = self.input.state_dir
      NODE_SH_STOP_TIMEOUT = self.input.stop_timeout
    }
  }
}
