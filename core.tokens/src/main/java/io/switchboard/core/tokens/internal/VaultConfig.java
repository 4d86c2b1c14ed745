package io.switchboard.core.tokens.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Switchboard token vault")
@interface VaultConfig {
    String PID = "switchboard.tokens";

    @AttributeDefinition(type = AttributeType.PASSWORD,
            description = "Master keys, newest first: id:base64(32 bytes)[,id:base64...]. Empty: on H2 a development key under data/, on PostgreSQL the vault refuses to start.")
    String master_key() default "";
}
