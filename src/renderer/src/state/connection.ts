/** Whether the dashboard hears the station's events (the HTTP bridge can lose them). */
export type ConnectionState = 'connecting' | 'live' | 'lost';
