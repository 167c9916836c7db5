import { cleanup } from '@testing-library/react';
import { afterEach } from 'vitest';

// Tests push bridge events inside React's act(); tell React this is a test environment.
(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

afterEach(() => cleanup());
