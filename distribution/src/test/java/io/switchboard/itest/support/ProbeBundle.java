package io.switchboard.itest.support;

import aQute.bnd.osgi.Builder;
import aQute.bnd.osgi.Constants;
import aQute.bnd.osgi.Jar;
import io.switchboard.core.api.HealthCheck;
import io.switchboard.itest.probe.ProbeHealthCheck;
import io.switchboard.itest.probe.jobs.EffectJob;
import java.io.File;
import java.nio.file.Path;

/**
 * Builds the probe bundles the tests drop into {@code deploy/}, in a given version, with bnd: the
 * hot-deploy probe ({@link ProbeHealthCheck}) and the job probe ({@link EffectJob}, with its own
 * schema, {@code itest_effect}).
 */
public final class ProbeBundle {
    public static final String SYMBOLIC_NAME = "io.switchboard.itest.probe";
    public static final String JOBS_SYMBOLIC_NAME = "io.switchboard.itest.probe.jobs";

    private ProbeBundle() {}

    public static Path build(Path target, String version) throws Exception {
        return build(target, SYMBOLIC_NAME, version, ProbeHealthCheck.class, java.util.Map.of());
    }

    /** The job probe: {@link EffectJob} and its schema script. */
    public static Path buildJobs(Path target, String version) throws Exception {
        Path script = Path.of(ProbeBundle.class.getResource("/probe/itest_effect/V1__effect.sql").toURI());
        return build(target, JOBS_SYMBOLIC_NAME, version, EffectJob.class, java.util.Map.of(
                Constants.INCLUDERESOURCE, "db/schema/itest_effect/V1__effect.sql=" + script,
                "Switchboard-Schema", "itest_effect; requires=\"jobs\""));
    }

    private static Path build(Path target, String symbolicName, String version, Class<?> component, java.util.Map<String, String> headers)
            throws Exception {
        try (Builder builder = new Builder()) {
            builder.setProperty(Constants.BUNDLE_SYMBOLICNAME, symbolicName);
            builder.setProperty(Constants.BUNDLE_VERSION, version);
            builder.setProperty(Constants.PRIVATEPACKAGE, component.getPackageName());
            builder.setProperty(Constants.DSANNOTATIONS, "*");
            headers.forEach(builder::setProperty);
            builder.addClasspath(location(component));
            builder.addClasspath(location(HealthCheck.class));
            builder.addClasspath(location(org.osgi.service.component.annotations.Component.class));
            builder.addClasspath(location(org.osgi.framework.FrameworkUtil.class));
            Jar jar = builder.build();
            if (!builder.isOk()) {
                throw new IllegalStateException("probe bundle: " + builder.getErrors());
            }
            File out = target.toFile();
            jar.write(out);
            return target;
        }
    }

    private static File location(Class<?> type) throws Exception {
        return new File(type.getProtectionDomain().getCodeSource().getLocation().toURI());
    }
}
