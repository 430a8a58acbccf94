package io.jenkins.plugins.immutabledeployment.kube;

import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory;
import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientImpl;
import io.jenkins.plugins.immutabledeployment.EngineThreads;

/**
 * fabric8's JDK HTTP client with its work on the engine's shared answer threads ({@link EngineThreads#httpAnswers()})
 * instead of a cached pool of its own per client, which grows by a thread for every answer arriving while the others
 * are busy. Used only when the JDK client is the one fabric8 would pick ({@link KubeClients#isJdkHttpClient}); this
 * class is not loaded otherwise, so a class path without {@code kubernetes-httpclient-jdk} (Jenkins, where it is
 * OkHttp) never needs it.
 */
final class SharedThreadsJdkHttpClientFactory extends JdkHttpClientFactory {

    @Override
    protected java.net.http.HttpClient.Builder createNewHttpClientBuilder() {
        return java.net.http.HttpClient.newBuilder().executor(EngineThreads.httpAnswers());
    }

    /** The shared threads outlive any client; they end by themselves when idle. */
    @Override
    protected void closeHttpClient(JdkHttpClientImpl client) {
        // nothing of the client's own to shut down
    }
}
