package io.switchboard.core.rest.internal;

import io.switchboard.core.api.Switchboard;
import java.util.Map;
import javax.ws.rs.core.Application;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsApplicationBase;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsName;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JSONRequired;

/**
 * The one JAX-RS application of the public API, at the root. Core bundles' resources and
 * extensions join it with {@code @JaxrsApplicationSelect(Switchboard.JAXRS_APPLICATION_SELECT)}.
 * It requires the JSON extension, so it only starts once JSON can be read and written.
 */
@Component(service = Application.class)
@JaxrsApplicationBase("/")
@JaxrsName(Switchboard.JAXRS_APPLICATION)
@JSONRequired
public class SwitchboardApplication extends Application {
    @Override
    public Map<String, Object> getProperties() {
        // Keep CXF from answering with its own service list or WADL pages.
        return Map.of("org.apache.cxf.jaxrs.mediaTypeCheck.strict", Boolean.TRUE);
    }
}
