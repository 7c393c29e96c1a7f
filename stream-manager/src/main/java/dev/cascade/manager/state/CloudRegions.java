package dev.cascade.manager.state;

import java.util.Map;
import java.util.Set;

/**
 * The regions each cloud has, so a node group naming a region its cloud does not have is refused
 * when it is written, not when Terraform fails minutes later. {@code local} and {@code openstack}
 * regions are the operator's own names: any region token is accepted there.
 *
 * <p>Lists as the providers publish them (2026); a new region needs a line here.
 */
public final class CloudRegions {
    private static final Map<String, Set<String>> KNOWN = Map.of(
            "aws", Set.of("us-east-1", "us-east-2", "us-west-1", "us-west-2", "ca-central-1", "ca-west-1",
                    "sa-east-1", "mx-central-1", "eu-west-1", "eu-west-2", "eu-west-3", "eu-central-1", "eu-central-2",
                    "eu-north-1", "eu-south-1", "eu-south-2", "il-central-1", "me-south-1", "me-central-1",
                    "af-south-1", "ap-east-1", "ap-south-1", "ap-south-2", "ap-northeast-1", "ap-northeast-2",
                    "ap-northeast-3", "ap-southeast-1", "ap-southeast-2", "ap-southeast-3", "ap-southeast-4",
                    "ap-southeast-5", "ap-southeast-7"),
            "gcp", Set.of("us-central1", "us-east1", "us-east4", "us-east5", "us-south1", "us-west1", "us-west2",
                    "us-west3", "us-west4", "northamerica-northeast1", "northamerica-northeast2",
                    "southamerica-east1", "southamerica-west1", "europe-west1", "europe-west2", "europe-west3",
                    "europe-west4", "europe-west6", "europe-west8", "europe-west9", "europe-west10", "europe-west12",
                    "europe-north1", "europe-central2", "europe-southwest1", "me-west1", "me-central1", "me-central2",
                    "africa-south1", "asia-east1", "asia-east2", "asia-northeast1", "asia-northeast2",
                    "asia-northeast3", "asia-south1", "asia-south2", "asia-southeast1", "asia-southeast2",
                    "australia-southeast1", "australia-southeast2"),
            "azure", Set.of("eastus", "eastus2", "centralus", "northcentralus", "southcentralus", "westcentralus",
                    "westus", "westus2", "westus3", "canadacentral", "canadaeast", "brazilsouth", "mexicocentral",
                    "northeurope", "westeurope", "uksouth", "ukwest", "francecentral", "germanywestcentral",
                    "swedencentral", "switzerlandnorth", "norwayeast", "polandcentral", "italynorth", "spaincentral",
                    "uaenorth", "qatarcentral", "israelcentral", "southafricanorth", "centralindia", "southindia",
                    "eastasia", "southeastasia", "japaneast", "japanwest", "koreacentral", "australiaeast",
                    "australiasoutheast"),
            "digitalocean", Set.of("nyc1", "nyc2", "nyc3", "sfo2", "sfo3", "ams3", "sgp1", "lon1", "fra1", "tor1",
                    "blr1", "syd1", "atl1"),
            "linode", Set.of("us-east", "us-central", "us-west", "us-southeast", "us-iad", "us-ord", "us-sea",
                    "us-lax", "us-mia", "ca-central", "br-gru", "eu-west", "eu-central", "gb-lon", "de-fra-2",
                    "fr-par", "nl-ams", "se-sto", "it-mil", "es-mad", "ap-south", "ap-northeast", "ap-west",
                    "ap-southeast", "in-maa", "in-bom-2", "jp-osa", "jp-tyo-3", "id-cgk", "sg-sin-2", "au-mel"));

    private CloudRegions() {}

    /** Whether {@code cloud} has {@code region}. */
    public static boolean has(String cloud, String region) {
        Set<String> known = KNOWN.get(cloud);
        return known == null || known.contains(region);
    }

    /** Whether the cloud's regions are the operator's own names (local, openstack). */
    public static boolean open(String cloud) {
        return !KNOWN.containsKey(cloud);
    }
}
