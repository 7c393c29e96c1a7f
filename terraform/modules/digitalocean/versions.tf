terraform {
  required_version = ">= 1.5"

  required_providers {
    # Configured by the caller (API token).
    digitalocean = {
      source  = "digitalocean/digitalocean"
      version = ">= 2.0"
    }
  }
}
