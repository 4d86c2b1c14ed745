package io.switchboard.core.identity.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.switchboard.core.api.ProblemException;
import java.lang.annotation.Annotation;
import java.lang.reflect.Proxy;
import java.util.List;
import org.junit.jupiter.api.Test;

class AppSettingsTest {

    @Test
    void defaultsAreMicrosoftsAndGooglesPublicEndpoints() {
        AppSettings.Entra entra = new AppSettings.Entra(List.of("api://x"), null, null, null, null, null, null);
        assertThat(entra.authority()).isEqualTo("https://login.microsoftonline.com");
        assertThat(entra.issuerTemplate()).isEqualTo("https://login.microsoftonline.com/{tenantid}/v2.0");
        assertThat(entra.tenants()).containsExactly("organizations");
        assertThat(entra.versions()).containsExactly("2.0");
        assertThat(new AppSettings.Google(List.of("c"), null, null).issuer()).isEqualTo("https://accounts.google.com");
    }

    @Test
    void invalidSettingsListEveryProblem() {
        AppSettings bad = new AppSettings(List.of("https://ok.example", "https://x.example/path", "*"),
                List.of("http://insecure.example/cb"),
                new AppSettings.Identity(new AppSettings.Entra(List.of(), null, List.of("not-a-guid"), List.of("3.0"), null, null, null),
                        new AppSettings.Google(List.of(), null, null),
                        List.of(new AppSettings.Oidc("https://idp.example", null, List.of("a"), List.of("HS256"))),
                        new AppSettings.ExchangeLegacy(true, List.of(), List.of())));
        assertThatThrownBy(bad::validated).isInstanceOfSatisfying(ProblemException.class, p -> {
            assertThat(p.status()).isEqualTo(400);
            assertThat((List<?>) p.extensions().get("errors")).hasSize(9);
        });
    }

    @Test
    void theAdminApiIsClosedWithoutAConfiguredOperatorToken() {
        CallerResolverService closed = new CallerResolverService(null, new AppDirectoryService(null, config("")));
        assertThatThrownBy(() -> closed.operator("Bearer anything"))
                .isInstanceOfSatisfying(ProblemException.class, p -> assertThat(p.status()).isEqualTo(403));
        CallerResolverService configured = new CallerResolverService(null, new AppDirectoryService(null, config("s3cret-operator-token")));
        assertThatThrownBy(() -> configured.operator("Bearer wrong"))
                .isInstanceOfSatisfying(ProblemException.class, p -> assertThat(p.status()).isEqualTo(401));
        assertThatThrownBy(() -> configured.operator(null))
                .isInstanceOfSatisfying(ProblemException.class, p -> assertThat(p.status()).isEqualTo(401));
        assertThat(configured.operator("Bearer s3cret-operator-token").kind()).isEqualTo(io.switchboard.core.rest.api.Caller.Kind.OPERATOR);
    }

    static IdentityConfig config(String adminToken) {
        return (IdentityConfig) Proxy.newProxyInstance(IdentityConfig.class.getClassLoader(), new Class<?>[] {IdentityConfig.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "admin_token" -> adminToken;
                    case "annotationType" -> (Class<? extends Annotation>) IdentityConfig.class;
                    default -> method.getDefaultValue();
                });
    }
}
