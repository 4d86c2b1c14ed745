package io.switchboard.itest.support;

import aQute.bnd.osgi.Builder;
import aQute.bnd.osgi.Constants;
import aQute.bnd.osgi.Jar;
import io.switchboard.core.api.HealthCheck;
import io.switchboard.itest.probe.ProbeHealthCheck;
import java.io.File;
import java.nio.file.Path;

/** Builds the hot-deploy probe bundle ({@link ProbeHealthCheck}) in a given version, with bnd. */
public final class ProbeBundle {
    public static final String SYMBOLIC_NAME = "io.switchboard.itest.probe";

    private ProbeBundle() {}

    public static Path build(Path target, String version) throws Exception {
        try (Builder builder = new Builder()) {
            builder.setProperty(Constants.BUNDLE_SYMBOLICNAME, SYMBOLIC_NAME);
            builder.setProperty(Constants.BUNDLE_VERSION, version);
            builder.setProperty(Constants.PRIVATEPACKAGE, ProbeHealthCheck.class.getPackageName());
            builder.setProperty(Constants.DSANNOTATIONS, "*");
            builder.addClasspath(location(ProbeHealthCheck.class));
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
