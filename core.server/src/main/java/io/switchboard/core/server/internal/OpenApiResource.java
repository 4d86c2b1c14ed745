package io.switchboard.core.server.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.core.api.Switchboard;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.Produces;
import javax.ws.rs.core.MediaType;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsApplicationSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsResource;
import org.osgi.util.tracker.BundleTracker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /openapi.json}: the OpenAPI 3 document of the public API. Each bundle that serves
 * endpoints describes them in a fragment named by its {@value #HEADER} manifest header (an
 * OpenAPI document with {@code paths} and {@code components}); this resource merges the
 * fragments of the active bundles, so the document follows the bundles that are installed.
 * An in-container test compares it with the live JAX-RS routes.
 */
@Component(service = OpenApiResource.class)
@JaxrsResource
@JaxrsApplicationSelect(Switchboard.JAXRS_APPLICATION_SELECT)
@Path("openapi.json")
public class OpenApiResource {
    static final String HEADER = "Switchboard-OpenAPI";
    private static final Logger LOG = LoggerFactory.getLogger(OpenApiResource.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<Long, JsonNode> fragments = new ConcurrentSkipListMap<>();
    private final BundleTracker<Long> tracker;

    @Activate
    public OpenApiResource(BundleContext context) {
        tracker = new BundleTracker<>(context, Bundle.ACTIVE | Bundle.STARTING, null) {
            @Override
            public Long addingBundle(Bundle bundle, BundleEvent event) {
                String path = bundle.getHeaders("").get(HEADER);
                if (path == null) {
                    return null;
                }
                URL url = bundle.getEntry(path.trim());
                if (url == null) {
                    LOG.warn("Bundle {} names OpenAPI fragment {} but does not contain it", bundle.getSymbolicName(), path);
                    return null;
                }
                try (InputStream in = url.openStream()) {
                    fragments.put(bundle.getBundleId(), JSON.readTree(in));
                    return bundle.getBundleId();
                } catch (IOException e) {
                    LOG.warn("Bundle {}: unreadable OpenAPI fragment {}: {}", bundle.getSymbolicName(), path, e.getMessage());
                    return null;
                }
            }

            @Override
            public void removedBundle(Bundle bundle, BundleEvent event, Long id) {
                fragments.remove(id);
            }
        };
        tracker.open();
    }

    @Deactivate
    void deactivate() {
        tracker.close();
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public JsonNode document() throws IOException {
        ObjectNode doc;
        try (InputStream in = OpenApiResource.class.getResourceAsStream("/openapi/base.json")) {
            doc = (ObjectNode) JSON.readTree(in);
        }
        for (JsonNode fragment : fragments.values()) {
            merge(doc, fragment);
        }
        return doc;
    }

    /** Adds the fragment's paths and components; the first bundle to describe a path keeps it. */
    static void merge(ObjectNode doc, JsonNode fragment) {
        mergeObject(doc.with("paths"), fragment.path("paths"));
        JsonNode components = fragment.path("components");
        for (Iterator<String> kinds = components.fieldNames(); kinds.hasNext(); ) {
            String kind = kinds.next();
            mergeObject(doc.with("components").with(kind), components.get(kind));
        }
    }

    private static void mergeObject(ObjectNode into, JsonNode from) {
        from.fields().forEachRemaining(e -> {
            if (!into.has(e.getKey())) {
                into.set(e.getKey(), e.getValue());
            }
        });
    }
}
