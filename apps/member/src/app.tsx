import { type PropsWithChildren } from 'react';
import './app.css';

// Pages render themselves; the app shell holds no state (the session lives in storage, see lib/session).
function App({ children }: PropsWithChildren) {
  return children;
}

export default App;
