terraform {
  required_version = ">= 1.5"

  required_providers {
    # Configured by the caller, region included: this module has no provider block, so one root
    # can hold a deployment per region, each given its own aliased provider (see README.md).
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.0"
    }
  }
}
