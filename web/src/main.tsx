import { render } from "preact";
import { PlaygroundPage } from "./playground/playground-page";
import { ReviewPage } from "./review/review-page";
import { RunsPage } from "./runs/runs-page";
import { Layout } from "./shared/layout";
import { usePath } from "./shared/router";
import "./shared/styles.css";

function Page({ path }: { path: string }) {
  if (path.startsWith("/runs")) return <RunsPage path={path} />;
  if (path.startsWith("/review")) return <ReviewPage path={path} />;
  return <PlaygroundPage />;
}

function App() {
  const path = usePath();
  return (
    <Layout path={path}>
      <Page path={path} />
    </Layout>
  );
}

render(<App />, document.getElementById("app")!);
