/** Text forms shared by the APIs, such as humantime durations. */
package io.xenondb.shared.text;
