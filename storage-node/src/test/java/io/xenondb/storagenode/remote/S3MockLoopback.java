package io.xenondb.storagenode.remote;

import org.springframework.beans.factory.config.BeanPostProcessor;

/**
 * Loaded into the S3Mock process (not into tests): binds S3Mock's extra plain-HTTP Tomcat connector, which it
 * creates without an address, to 127.0.0.1 only. Written against reflection so that it needs no Tomcat here.
 */
public class S3MockLoopback implements BeanPostProcessor {
    @Override
    public Object postProcessBeforeInitialization(Object bean, String beanName) {
        if (bean.getClass().getName().equals("org.apache.catalina.connector.Connector")) {
            try {
                Object accepted = bean.getClass()
                        .getMethod("setProperty", String.class, String.class)
                        .invoke(bean, "address", "127.0.0.1");
                if (!Boolean.TRUE.equals(accepted)) {
                    throw new IllegalStateException("the HTTP connector refused address=127.0.0.1");
                }
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot bind the S3Mock HTTP connector to 127.0.0.1", e);
            }
        }
        return bean;
    }
}
