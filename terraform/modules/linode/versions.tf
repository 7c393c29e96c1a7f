terraform {
  required_version = ">= 1.5"

  required_providers {
    # Configured by the caller (API token). 2.10: linode_instance's metadata block (user data).
    linode = {
      source  = "linode/linode"
      version = ">= 2.10"
    }
  }
}
