package io.switchboard.core.metrics.internal;

import static org.assertj.core.api.Assertions.assertThat;

import javax.ws.rs.GET;
import javax.ws.rs.Path;
import org.junit.jupiter.api.Test;

class HttpServerMetersTest {

    @Path("admin/v1/apps/{app}/webhooks")
    static class Resource {
        @GET
        public void list() {}

        @GET
        @Path("{id}/deliveries/")
        public void deliveries() {}

        @GET
        @Path("/{id: [a-z]+}")
        public void get() {}
    }

    @Path("/")
    static class Root {
        @GET
        @Path("health")
        public void health() {}
    }

    @Test
    void routesAreTemplatesNotValues() throws Exception {
        assertThat(HttpServerMeters.route(Resource.class, Resource.class.getMethod("list"))).isEqualTo("/admin/v1/apps/{app}/webhooks");
        assertThat(HttpServerMeters.route(Resource.class, Resource.class.getMethod("deliveries")))
                .isEqualTo("/admin/v1/apps/{app}/webhooks/{id}/deliveries");
        assertThat(HttpServerMeters.route(Resource.class, Resource.class.getMethod("get"))).isEqualTo("/admin/v1/apps/{app}/webhooks/{id}");
        assertThat(HttpServerMeters.route(Root.class, Root.class.getMethod("health"))).isEqualTo("/health");
    }

    @Test
    void outcomesFollowTheStatusClass() {
        assertThat(HttpServerMeters.outcome(204)).isEqualTo("SUCCESS");
        assertThat(HttpServerMeters.outcome(404)).isEqualTo("CLIENT_ERROR");
        assertThat(HttpServerMeters.outcome(503)).isEqualTo("SERVER_ERROR");
    }
}
