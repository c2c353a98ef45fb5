// Lands with its issue; see this library's README.
export {};
