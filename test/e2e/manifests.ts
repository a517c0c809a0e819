// YAML manifests the end-to-end smoke applies, parameterized by namespace.
export const namespace = (ns: string) => `apiVersion: v1
kind: Namespace
metadata:
  name: ${ns}
`;

export const deployment = (ns: string, name: string, image: string, replicas = 1) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  namespace: ${ns}
  labels:
    app: ${name}
spec:
  replicas: ${replicas}
  selector:
    matchLabels:
      app: ${name}
  template:
    metadata:
      labels:
        app: ${name}
    spec:
      containers:
      - name: nginx
        image: ${image}
`;

/** Version 1 of the applied Deployment: two containers, env X on the first, an annotation. */
export const applyV1 = (ns: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  namespace: ${ns}
  annotations:
    team: blue
spec:
  replicas: 2
  selector:
    matchLabels:
      app: api
  template:
    metadata:
      labels:
        app: api
    spec:
      containers:
      - name: main
        image: nginx:1.25
        env:
        - name: X
          value: "1"
        ports:
        - containerPort: 80
      - name: sidecar
        image: busybox:1.36
`;

/** Version 2: main's image changed, env B added, annotation dropped, sidecar first. */
export const applyV2 = (ns: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  namespace: ${ns}
spec:
  replicas: 2
  selector:
    matchLabels:
      app: api
  template:
    metadata:
      labels:
        app: api
    spec:
      containers:
      - name: sidecar
        image: busybox:1.36
      - name: main
        image: nginx:1.26
        env:
        - name: X
          value: "1"
        - name: B
          value: "2"
        ports:
        - containerPort: 80
`;

export const service = (ns: string) => `apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: ${ns}
spec:
  selector:
    app: web
  ports:
  - name: http
    port: 80
    targetPort: 8080
`;

export const configMap = (ns: string, name: string, value: string) => `apiVersion: v1
kind: ConfigMap
metadata:
  name: ${name}
  namespace: ${ns}
data:
  key: "${value}"
`;

export const secret = (ns: string) => `apiVersion: v1
kind: Secret
metadata:
  name: creds
  namespace: ${ns}
stringData:
  password: s3cr3t
`;

export const pod = (ns: string) => `apiVersion: v1
kind: Pod
metadata:
  name: p1
  namespace: ${ns}
  labels:
    run: p1
spec:
  containers:
  - name: c1
    image: busybox:1.36
    command: ["sleep", "3600"]
`;

export const badName = (ns: string) => `apiVersion: v1
kind: ConfigMap
metadata:
  name: Bad_Name
  namespace: ${ns}
`;

export const badSelector = (ns: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: bad
  namespace: ${ns}
spec:
  replicas: -1
  selector:
    matchLabels:
      app: other
  template:
    metadata:
      labels:
        app: x
    spec:
      containers:
      - name: c
        image: nginx
`;

export const unknownField = (ns: string) => `apiVersion: v1
kind: ConfigMap
metadata:
  name: strict
  namespace: ${ns}
dataa:
  a: b
`;
