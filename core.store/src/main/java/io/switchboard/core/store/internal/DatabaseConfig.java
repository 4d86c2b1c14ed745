package io.switchboard.core.store.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(
        name = "Switchboard database",
        description = "The database that holds all of Switchboard's state. Without a URL the embedded H2 file database under data/db is used.")
@interface DatabaseConfig {

    @AttributeDefinition(description = "JDBC URL, e.g. jdbc:postgresql://127.0.0.1:5432/switchboard. Empty: H2 under ${switchboard.home}/data/db.")
    String url() default "";

    @AttributeDefinition(description = "Database user")
    String user() default "";

    @AttributeDefinition(type = AttributeType.PASSWORD, description = "Database password")
    String password() default "";

    @AttributeDefinition(description = "Largest number of pooled connections")
    int pool_size() default 10;

    @AttributeDefinition(description = "How long a caller waits for a connection before failing, in milliseconds")
    long connection_timeout_ms() default 5000;
}
