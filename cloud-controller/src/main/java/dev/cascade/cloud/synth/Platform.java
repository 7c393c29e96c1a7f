package dev.cascade.cloud.synth;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * The platforms a deployment can run on, with the Terraform provider each one's module uses.
 *
 * <p>The provider's source goes into the root's {@code required_providers} so that providers outside the
 * {@code hashicorp/} namespace (digitalocean, linode, openstack) resolve to the same provider the module asks for;
 * version constraints stay in the modules.
 */
public enum Platform {
    LOCAL("local", null, null, false),
    AWS("aws", "aws", "hashicorp/aws", true),
    GCP("gcp", "google", "hashicorp/google", false),
    AZURE("azure", "azurerm", "hashicorp/azurerm", false),
    DIGITALOCEAN("digitalocean", "digitalocean", "digitalocean/digitalocean", false),
    LINODE("linode", "linode", "linode/linode", false),
    OPENSTACK("openstack", "openstack", "terraform-provider-openstack/openstack", false);

    private final String cloud;
    private final String provider;
    private final String providerSource;
    private final boolean providerPerRegion;

    Platform(String cloud, String provider, String providerSource, boolean providerPerRegion) {
        this.cloud = cloud;
        this.provider = provider;
        this.providerSource = providerSource;
        this.providerPerRegion = providerPerRegion;
    }

    /** The name used in deployments, settings and folder names ({@code aws}, {@code local}...). */
    public String cloud() {
        return cloud;
    }

    /** The provider's local name ({@code google} for gcp), empty for {@code local} (built-in resources only). */
    public Optional<String> provider() {
        return Optional.ofNullable(provider);
    }

    public String providerSource() {
        return providerSource;
    }

    /**
     * True when the provider is bound to one region (aws): the root then declares one aliased provider per
     * region and hands each module its region's alias.
     */
    public boolean providerPerRegion() {
        return providerPerRegion;
    }

    public static Optional<Platform> of(String cloud) {
        if (cloud == null) {
            return Optional.empty();
        }
        String c = cloud.toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(p -> p.cloud.equals(c)).findFirst();
    }

    public static String names() {
        return String.join(", ", Arrays.stream(values()).map(Platform::cloud).toList());
    }
}
