#!/usr/bin/env bash
# Java binding (bindings/java): the JNI library built once; the Maven build (javac
# --release 8 -Xlint:all -Werror, JUnit over the 71 official vectors, the jar with the
# library inside) installed into the local repository; a fresh Maven project that depends
# on it runs the README example; the plain-javac build runs the same example with the
# library from java.library.path; a short JMH run prints the ratios to plain Java.
set -euo pipefail
# shellcheck source=.ci/lib.sh
. .ci/lib.sh
root="$PWD"
mvn_flags=(-B -ntp -Dstyle.color=never -Dzego.native.skipCargo=true)

step "java: JDK and Maven"
apt_need openjdk-17-jdk-headless maven
java -version 2>&1 | sed -n 1p
mvn -B -v -Dstyle.color=never | sed -n 1p

step "java: the native library (cargo, once)"
cargo build --release --locked -p zego-token-jni

step "java: mvn install (compile, JUnit tests, jar with the native library)"
mvn "${mvn_flags[@]}" -f bindings/java/pom.xml install

step "java: the README example is examples/Example.java"
awk '/^<!-- example:/{f=1; next} f && /^```java$/{g=1; next} g && /^```$/{exit} g' \
  bindings/java/README.md | diff - bindings/java/examples/Example.java

step "java: a fresh Maven project using the installed package runs the example"
app="$(mktemp -d)"
trap 'rm -rf "$app"' EXIT
mkdir -p "$app/src/main/java"
cp bindings/java/examples/Example.java "$app/src/main/java/"
cat >"$app/pom.xml" <<'POM'
<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>example</groupId>
  <artifactId>zego-token-user</artifactId>
  <version>1</version>
  <properties>
    <maven.compiler.release>8</maven.compiler.release>
    <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>
  </properties>
  <dependencies>
    <dependency>
      <groupId>im.zego.token</groupId>
      <artifactId>zego-token</artifactId>
      <version>0.1.0</version>
    </dependency>
  </dependencies>
  <build>
    <plugins>
      <plugin>
        <groupId>org.apache.maven.plugins</groupId>
        <artifactId>maven-compiler-plugin</artifactId>
        <version>3.13.0</version>
      </plugin>
      <plugin>
        <groupId>org.codehaus.mojo</groupId>
        <artifactId>exec-maven-plugin</artifactId>
        <version>3.6.3</version>
        <configuration><mainClass>Example</mainClass></configuration>
      </plugin>
    </plugins>
  </build>
</project>
POM
out="$(cd "$app" && mvn -B -ntp -q -Dstyle.color=never compile exec:java)"
echo "$out"
grep -qF 'user-42 may join room-1' <<<"$out"
grep -qF 'stream_not_allowed (1003072): ' <<<"$out"

step "java: plain javac build (no Maven); the example with the library from java.library.path and from the jar"
bash bindings/java/build.sh --skip-cargo
plain=bindings/java/target/plain
mkdir -p "$app/plain"
javac --release 8 -Xlint:all -Werror -cp "$plain/classes" -d "$app/plain" bindings/java/examples/Example.java
from_path="$(java -Djava.library.path="$root/target/release" -cp "$plain/classes:$app/plain" Example)"
from_jar="$(cd "$app" && java -cp "$root/$plain/zego-token-0.1.0.jar:plain" Example)"
[ "$from_path" = "$out" ] && [ "$from_jar" = "$out" ]
echo "the example ran from both"

step "java: short benchmark (interleaved loop, then JMH; ratios to plain Java in the same run)"
mvn "${mvn_flags[@]}" -q -f bindings/java/pom.xml -Pbench -DskipTests \
  -Djmh.args="-f 1 -wi 2 -w 1s -i 3 -r 1s" test-compile exec:exec >"$app/bench.txt"
sed -n '/^interleaved/,/^RATIO-LOOP/p; /^Benchmark /,$p' "$app/bench.txt"
grep -q '^RATIO-LOOP ' "$app/bench.txt"
grep -q '^RATIO ' "$app/bench.txt"
