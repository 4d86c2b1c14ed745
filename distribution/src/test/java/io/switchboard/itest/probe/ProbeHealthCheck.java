package io.switchboard.itest.probe;

import io.switchboard.core.api.HealthCheck;
import org.osgi.framework.FrameworkUtil;
import org.osgi.service.component.annotations.Component;

/**
 * The tiny bundle the hot-deploy tests drop into a running server: it registers a health check
 * whose detail is its own bundle version, so {@code GET /health} shows which version is live.
 */
@Component(service = HealthCheck.class)
public class ProbeHealthCheck implements HealthCheck {
    public static final String NAME = "hotdeploy-probe";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Status check() {
        return Status.up(FrameworkUtil.getBundle(ProbeHealthCheck.class).getVersion().toString());
    }
}
