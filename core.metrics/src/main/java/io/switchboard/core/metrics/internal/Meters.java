package io.switchboard.core.metrics.internal;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

/**
 * The server's one meter registry (Micrometer's Prometheus registry), registered as a
 * {@link MeterRegistry} service for every bundle to record into, with the JVM's meters bound.
 * Bundles name their meters {@code switchboard.*}; the registry renders them in the Prometheus
 * text format for {@link MetricsResource}.
 */
@Component(service = Meters.class, immediate = true)
public class Meters {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics gc = new JvmGcMetrics();
    private final ServiceRegistration<MeterRegistry> registration;

    @Activate
    public Meters(BundleContext context) {
        new ClassLoaderMetrics().bindTo(registry);
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
        registration = context.registerService(MeterRegistry.class, registry, null);
    }

    @Deactivate
    void stop() {
        try {
            registration.unregister();
        } finally {
            gc.close();
            registry.close();
        }
    }

    /** Every meter in the Prometheus text format (0.0.4). */
    String scrape() {
        return registry.scrape();
    }
}
