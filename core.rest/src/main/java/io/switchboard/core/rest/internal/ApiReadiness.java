package io.switchboard.core.rest.internal;

import io.switchboard.core.api.HealthCheck;
import io.switchboard.core.api.Switchboard;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.service.jaxrs.runtime.JaxrsServiceRuntime;
import org.osgi.service.jaxrs.runtime.dto.ApplicationDTO;
import org.osgi.service.jaxrs.runtime.dto.ResourceDTO;
import org.osgi.service.jaxrs.runtime.dto.RuntimeDTO;

/**
 * The {@code api} health check: the public API is ready when every core bundle has started, every
 * component of the core bundles is satisfied (none waits for a database, configuration or another service) and every JAX-RS
 * resource and extension registered for the application is being served (one registered but not served for 10 s is registered again). Until then {@code /health} answers
 * 503, so a load balancer never sends traffic to a half-started instance.
 */
@Component(service = HealthCheck.class)
public class ApiReadiness implements HealthCheck {
    private static final String CORE_PREFIX = "io.switchboard.core.";
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ApiReadiness.class);
    private static final java.time.Duration GRACE = java.time.Duration.ofSeconds(10);
    private final StalledResources stalled = new StalledResources(GRACE);

    private final BundleContext context;
    private final ServiceComponentRuntime scr;
    private final JaxrsServiceRuntime jaxrs;

    @Activate
    public ApiReadiness(BundleContext context, @Reference ServiceComponentRuntime scr, @Reference JaxrsServiceRuntime jaxrs) {
        this.context = context;
        this.scr = scr;
        this.jaxrs = jaxrs;
    }

    @Override
    public String name() {
        return "api";
    }

    /** Once ready, the (costly) DTO scan is repeated at most every 5 s. */
    private final io.switchboard.core.api.util.CachedStatus cache = new io.switchboard.core.api.util.CachedStatus(java.time.Duration.ofSeconds(5));

    @Override
    public Status check() {
        return cache.get(this::evaluate);
    }

    private Status evaluate() {
        List<String> waiting = new ArrayList<>();
        // A core bundle that has not started yet has no components for SCR to report.
        for (org.osgi.framework.Bundle bundle : context.getBundles()) {
            String name = bundle.getSymbolicName();
            if (name != null && name.startsWith(CORE_PREFIX) && bundle.getHeaders("").get("Fragment-Host") == null
                    && bundle.getState() != org.osgi.framework.Bundle.ACTIVE) {
                waiting.add(name.substring(CORE_PREFIX.length()));
            }
        }
        for (ComponentDescriptionDTO description : scr.getComponentDescriptionDTOs()) {
            if (!description.bundle.symbolicName.startsWith(CORE_PREFIX) || !description.defaultEnabled) {
                continue;
            }
            for (ComponentConfigurationDTO config : scr.getComponentConfigurationDTOs(description)) {
                if (config.state == ComponentConfigurationDTO.UNSATISFIED_REFERENCE
                        || config.state == ComponentConfigurationDTO.UNSATISFIED_CONFIGURATION
                        || config.state == ComponentConfigurationDTO.FAILED_ACTIVATION) {
                    waiting.add(shortName(description.name));
                }
            }
        }
        if (!waiting.isEmpty()) {
            return Status.down("starting: " + String.join(", ", waiting));
        }
        RuntimeDTO runtime = jaxrs.getRuntimeDTO();
        ApplicationDTO app = runtime.defaultApplication;
        if (app == null || !Switchboard.JAXRS_APPLICATION.equals(app.name)) {
            return Status.down("the API application is not deployed");
        }
        Set<Long> served = new HashSet<>();
        for (ResourceDTO resource : app.resourceDTOs) {
            served.add(resource.serviceId);
        }
        for (org.osgi.service.jaxrs.runtime.dto.ExtensionDTO extension : app.extensionDTOs) {
            served.add(extension.serviceId);
        }
        // Extensions too (the edge's filters): once, at start-up, a registration lost in the whiteboard's own event
        // dispatch (a ConcurrentModificationException) left the authentication filter out, and every call was 401.
        List<String> pending = new ArrayList<>();
        java.util.Map<Long, String> registered = registered("osgi.jaxrs.resource");
        registered.putAll(registered("osgi.jaxrs.extension"));
        registered.forEach((id, name) -> {
            if (!served.contains(id)) {
                pending.add(name);
            }
        });
        reRegister(stalled.stalled(pending, java.time.Instant.now()));
        if (!pending.isEmpty() || runtime.failedResourceDTOs.length > 0) {
            return Status.down("resources and extensions not served yet: " + pending.size() + " " + pending + ", failed: "
                    + runtime.failedResourceDTOs.length);
        }
        return Status.up(app.resourceDTOs.length + " resources, " + app.extensionDTOs.length + " extensions");
    }

    /** Registers the stalled resources again: their components are disabled and enabled. */
    private void reRegister(List<String> components) {
        if (components.isEmpty()) {
            return;
        }
        for (ComponentDescriptionDTO description : scr.getComponentDescriptionDTOs()) {
            if (components.contains(description.name)) {
                LOG.warn("JAX-RS resource or extension {} registered but not served for {} s: registering it again", description.name,
                        GRACE.toSeconds());
                scr.disableComponent(description).onResolve(() -> scr.enableComponent(description));
            }
        }
    }

    /** The registered resources ({@code osgi.jaxrs.resource}) or extensions of the API application: service id → component (or class) name. */
    private java.util.Map<Long, String> registered(String kind) {
        java.util.Map<Long, String> ids = new java.util.TreeMap<>();
        try {
            ServiceReference<?>[] refs = context.getAllServiceReferences(null,
                    "(&(" + kind + "=true)(osgi.jaxrs.application.select="
                            + Switchboard.JAXRS_APPLICATION_SELECT.replace("(", "\\(").replace(")", "\\)") + "))");
            if (refs != null) {
                for (ServiceReference<?> ref : refs) {
                    Object component = ref.getProperty("component.name");
                    ids.put((Long) ref.getProperty("service.id"), String.valueOf(component != null ? component
                            : ((String[]) ref.getProperty("objectClass"))[0]));
                }
            }
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
        return ids;
    }

    private static String shortName(String component) {
        return component.substring(component.lastIndexOf('.') + 1);
    }
}
