terraform {
  required_version = ">= 1.5"

  required_providers {
    # Configured by the caller (auth URL, credentials, often from clouds.yaml / OS_* variables).
    openstack = {
      source  = "terraform-provider-openstack/openstack"
      version = ">= 1.50"
    }
  }
}
