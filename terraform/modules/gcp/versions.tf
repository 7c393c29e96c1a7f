terraform {
  required_version = ">= 1.5"

  required_providers {
    # Configured by the caller (project, credentials); the zone comes from region and zone_suffix.
    google = {
      source  = "hashicorp/google"
      version = ">= 5.0"
    }
  }
}
